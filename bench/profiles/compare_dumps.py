"""Compares two `profile_search dump` files (issue #12's response-equality check).

Usage: compare_dumps.py BEFORE.txt AFTER.txt

Normalizes each dump so that hits with equal scores are in id order (tantivy breaks score
ties by document address, which depends on how the writer's threads cut segments) and drops the
response's `filters` (added by issue #12)."""
import re, sys
def norm(text):
    text = re.sub(r'\n    filters: \[\],', '', text)
    text = re.sub(r'\n    filters: \[\n.*?\n    \],', '', text, flags=re.S)
    out = []
    for resp in text.split('\nSearchResponse {'):
        m = re.search(r'\n    hits: \[\n(.*?)\n    \],', resp, flags=re.S)
        if m:
            hits = re.findall(r'        Hit \{\n.*?\n        \},', m.group(1), flags=re.S)
            def key(h):
                s = float(re.search(r'score: ([-\d.e]+)', h).group(1)); i = re.search(r'id: "([^"]*)"', h).group(1)
                return (-s, i)
            # keep the order of distinct scores; sort ties by id
            hits_sorted = sorted(hits, key=key)
            resp = resp[:m.start(1)] + '\n'.join(hits_sorted) + resp[m.end(1):]
        out.append(resp)
    return '\nSearchResponse {'.join(out)
a, b = (norm(open(p).read()) for p in sys.argv[1:3])
print('identical up to the order of equal scores' if a == b else 'DIFFERENT')
