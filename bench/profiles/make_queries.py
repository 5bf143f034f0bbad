#!/usr/bin/env python3
"""The query mix of bench/src/queries.rs, written one query per line (year filter as `\tYEAR` marker).

Usage: make_queries.py NEWS10.jsonl > queries.txt
Mirrors `queries::build`: every k-th article of the first 10%, a word or a 2-3 word phrase of its title,
half folded, every eighth marked for a `year:` filter (the harness fills in the year).
"""
import json, sys, unicodedata

def fold(text):
    out = []
    for c in text:
        if c in "đð": out.append("d"); continue
        if c in "ĐÐ": out.append("D"); continue
        for p in unicodedata.normalize("NFD", c):
            if not unicodedata.combining(p): out.append(p)
    return "".join(out)

articles = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
TARGET = 240
step = max(len(articles) // TARGET, 1)
n = 0
for i, a in enumerate(articles[::step]):
    if n >= TARGET: break
    import re
    words = [w.lower() for w in re.split(r"[^\w]|_", a.get("title", "")) if len(w) >= 2 and not w.isdigit()]
    if not words: continue
    start = i % len(words)
    if i % 2 == 0:
        text = words[start]
    else:
        ln = 2 + (i // 2) % 2
        start = min(start, max(len(words) - ln, 0))
        text = " ".join(words[start:min(start + ln, len(words))])
    if i % 4 >= 2: text = fold(text)
    print(text + ("\tYEAR" if i % 8 == 7 else ""))
    n += 1
