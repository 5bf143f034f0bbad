// Xapian peer for kho-bench: indexes the benchmark's JSON Lines file and answers its query mix, measuring
// itself the way kho-bench measures the in-process systems, and prints one JSON line.
//
// Set up as Xapian's own documentation shows (no stemmer: Xapian has none for Vietnamese):
//   - index: a TermGenerator indexes the title, then (after increase_termpos) the body, unprefixed, into
//     one WritableDatabase (glass, default flush threshold), committed once at the end; the document's data
//     is its body (for snippets), its id is value slot 0 and the boolean term "Q" + id;
//   - search: QueryParser (default operator OR, FLAG_DEFAULT; a query it rejects is parsed again with no
//     flags), Enquire over BM25 (Xapian's default weighting), top 10, MSet::snippet on the body
//     (about 200 bytes, <mark> ... </mark>, Xapian's default flags).
// The body is the abstract (trimmed) then a blank line then the body, as every other system indexes it.
//
// Build (kho-bench does this itself at bench time; bench/peers/setup.sh installs the packages):
//   g++ -O2 -std=c++17 xapian_peer.cpp -o xapian-peer $(pkg-config --cflags --libs xapian-core)
//
// Usage:
//   xapian-peer index --file NEWS.jsonl --index DIR
//       {"secs":..,"peak_mb":..,"counts":{"indexed":N,"unchanged":0,"duplicates":0,"failed":0}}
//   xapian-peer search --index DIR --queries FILE [--rounds N] [--top K]
//       every query once (warm-up, counts the queries with hits), then every query N times, each timed:
//       {"latencies_ms":[..],"answered":N,"queries":N,"wall_secs":..}
//   xapian-peer query --index DIR --query TEXT [--top K]
//       {"hits":[{"id":..,"snippet":..}, ..]} (to look at what it answers)

#include <xapian.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

const Xapian::valueno ID_SLOT = 0;
const size_t SNIPPET_BYTES = 200;

// Peak resident memory (VmHWM) of this process in MB, 0 when unknown.
double peak_mb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::stod(line.substr(6)) / 1024.0;
        }
    }
    return 0.0;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string trim(const std::string& text) {
    const char* space = " \t\r\n\f\v";
    size_t first = text.find_first_not_of(space);
    if (first == std::string::npos) {
        return "";
    }
    size_t last = text.find_last_not_of(space);
    return text.substr(first, last - first + 1);
}

std::string field(const json& object, const char* name) {
    auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// --name value pairs after the subcommand.
std::map<std::string, std::string> options(int argc, char** argv) {
    std::map<std::string, std::string> parsed;
    for (int i = 2; i < argc; i += 2) {
        std::string name = argv[i];
        if (name.rfind("--", 0) != 0 || i + 1 >= argc) {
            throw std::runtime_error("expected --name value, got " + name);
        }
        parsed[name.substr(2)] = argv[i + 1];
    }
    return parsed;
}

std::string required(const std::map<std::string, std::string>& opts, const std::string& name) {
    auto it = opts.find(name);
    if (it == opts.end()) {
        throw std::runtime_error("missing --" + name);
    }
    return it->second;
}

size_t number(const std::map<std::string, std::string>& opts, const std::string& name, size_t fallback) {
    auto it = opts.find(name);
    return it == opts.end() ? fallback : std::stoul(it->second);
}

int index(const std::map<std::string, std::string>& opts) {
    const std::string file = required(opts, "file");
    const std::string dir = required(opts, "index");
    auto start = Clock::now();
    std::ifstream in(file);
    if (!in) {
        throw std::runtime_error("cannot open " + file);
    }
    Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator generator;
    uint64_t indexed = 0;
    std::string line;
    while (std::getline(in, line)) {
        if (trim(line).empty()) {
            continue;
        }
        json article = json::parse(line);
        std::string id = field(article, "id");
        std::string summary = trim(field(article, "abstract"));
        std::string body = field(article, "body");
        std::string text = summary.empty() ? body : summary + "\n\n" + body;

        Xapian::Document doc;
        generator.set_document(doc);
        generator.index_text(field(article, "title"));
        generator.increase_termpos();
        generator.index_text(text);
        doc.set_data(text);
        doc.add_value(ID_SLOT, id);
        doc.add_boolean_term("Q" + id);
        db.add_document(doc);
        ++indexed;
    }
    db.commit();
    db.close();
    json result = {{"secs", seconds_since(start)},
                   {"peak_mb", peak_mb()},
                   {"counts", {{"indexed", indexed}, {"unchanged", 0}, {"duplicates", 0}, {"failed", 0}}}};
    std::cout << result.dump() << std::endl;
    return 0;
}

// Opens a database and answers queries the same way every time.
class Searcher {
  public:
    explicit Searcher(const std::string& dir) : db_(dir), enquire_(db_) {
        parser_.set_database(db_);
        parser_.set_default_op(Xapian::Query::OP_OR);
    }

    // Top `top` hits with snippets: (id, snippet).
    std::vector<std::pair<std::string, std::string>> search(const std::string& text, size_t top) {
        Xapian::Query query;
        try {
            query = parser_.parse_query(text);
        } catch (const Xapian::QueryParserError&) {
            query = parser_.parse_query(text, 0);
        }
        enquire_.set_query(query);
        Xapian::MSet mset = enquire_.get_mset(0, static_cast<Xapian::doccount>(top));
        std::vector<std::pair<std::string, std::string>> hits;
        hits.reserve(mset.size());
        for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
            Xapian::Document doc = it.get_document();
            std::string snippet = mset.snippet(doc.get_data(), SNIPPET_BYTES, Xapian::Stem(),
                                               Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
                                                   Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                               "<mark>", "</mark>", "…");
            hits.emplace_back(doc.get_value(ID_SLOT), std::move(snippet));
        }
        return hits;
    }

  private:
    Xapian::Database db_;
    Xapian::Enquire enquire_;
    Xapian::QueryParser parser_;
};

int search(const std::map<std::string, std::string>& opts) {
    const std::string file = required(opts, "queries");
    const size_t rounds = std::max<size_t>(1, number(opts, "rounds", 3));
    const size_t top = number(opts, "top", 10);
    std::ifstream in(file);
    if (!in) {
        throw std::runtime_error("cannot open " + file);
    }
    std::vector<std::string> queries;
    std::string line;
    while (std::getline(in, line)) {
        if (!trim(line).empty()) {
            queries.push_back(line);
        }
    }
    Searcher searcher(required(opts, "index"));
    size_t answered = 0;
    for (const std::string& query : queries) {
        answered += searcher.search(query, top).empty() ? 0 : 1;
    }
    std::vector<double> latencies;
    latencies.reserve(queries.size() * rounds);
    size_t returned = 0;
    auto start = Clock::now();
    for (size_t round = 0; round < rounds; ++round) {
        for (const std::string& query : queries) {
            auto t = Clock::now();
            returned += searcher.search(query, top).size();
            latencies.push_back(seconds_since(t) * 1e3);
        }
    }
    double wall = seconds_since(start);
    json result = {{"latencies_ms", latencies},
                   {"answered", answered},
                   {"queries", queries.size()},
                   {"returned", returned},
                   {"wall_secs", wall}};
    std::cout << result.dump() << std::endl;
    return 0;
}

int query(const std::map<std::string, std::string>& opts) {
    Searcher searcher(required(opts, "index"));
    json hits = json::array();
    for (auto& [id, snippet] : searcher.search(required(opts, "query"), number(opts, "top", 10))) {
        hits.push_back({{"id", id}, {"snippet", snippet}});
    }
    std::cout << json{{"hits", hits}}.dump() << std::endl;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: xapian-peer index|search|query --name value ..." << std::endl;
        return 2;
    }
    try {
        const std::string command = argv[1];
        auto opts = options(argc, argv);
        if (command == "index") {
            return index(opts);
        }
        if (command == "search") {
            return search(opts);
        }
        if (command == "query") {
            return query(opts);
        }
        std::cerr << "xapian-peer: unknown command " << command << std::endl;
        return 2;
    } catch (const Xapian::Error& error) {
        std::cerr << "xapian-peer: " << error.get_description() << std::endl;
    } catch (const std::exception& error) {
        std::cerr << "xapian-peer: " << error.what() << std::endl;
    }
    return 1;
}
