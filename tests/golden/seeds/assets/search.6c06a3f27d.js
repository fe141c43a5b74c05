/* Tijdlijn search: the box in the site header, answered from the index in search/.
 *
 * generator/search.py writes the index at build time: search/index.json (the events and
 * the names of the other files), shards of words with the articles they occur in, and
 * the article table in parts.  Each is fetched on first use (only the shards a query
 * needs, and the parts that hold the articles it shows), with addresses relative to
 * this script, so the site works from any folder.  Words are normalised exactly as in
 * search.py: NFKD, marks removed, casefolded; runs of letters and digits of at least
 * two characters.  Every
 * word must match; the last one also as the start of a word once it has three
 * characters, unless a space follows it.  Headline matches rank first, then the
 * timeline's order.  Without JavaScript the form stays hidden and a link to the name
 * index shows instead.  UI text comes from the form's data- attributes (generator/i18n.py).
 */
(function () {
  "use strict";

  var MIN_WORD = 2;
  var MIN_PREFIX = 3;
  var SHOWN = 20;

  var script = document.currentScript;
  var form = document.querySelector("form.search");
  if (!script || !form || !window.fetch || !window.URL) {
    return;
  }
  var root = new URL("../", script.src); // this file is <root>/assets/search.<hash>.js
  var input = form.querySelector("input");
  var status = form.querySelector(".search-status");
  var list = form.querySelector(".search-results");
  var text = form.dataset;
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  // --- normalisation: the same as generator/search.py --------------------------------------

  // Where casefolding differs from toLowerCase() once marks are gone.
  var FOLD = /[\u00df\u03c2\u1c80-\u1c88\u13f8-\u13fd\uab70-\uabbf]/g;
  var FOLDED = {
    "\u00df": "ss", "\u03c2": "\u03c3", "\u1c80": "\u0432", "\u1c81": "\u0434",
    "\u1c82": "\u043e", "\u1c83": "\u0441", "\u1c84": "\u0442", "\u1c85": "\u0442",
    "\u1c86": "\u044a", "\u1c87": "\u0463", "\u1c88": "\ua64b"
  };

  function fold(c) {
    var code = c.charCodeAt(0);
    if (FOLDED[c]) {
      return FOLDED[c];
    }
    // Cherokee folds to its capitals: small letters U+AB70.. and U+13F8..
    return String.fromCharCode(code >= 0xab70 ? code - 0xab70 + 0x13a0 : code - 8);
  }

  function normalise(value) {
    return value.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(FOLD, fold);
  }

  function length(word) {
    return Array.from(word).length; // characters, not UTF-16 units, as in Python
  }

  // The query's words; the last one is a prefix if nothing follows it.
  function terms(query) {
    var normal = normalise(query);
    var found = normal.match(/[\p{L}\p{N}]+/gu) || [];
    var open = /[\p{L}\p{N}]$/u.test(normal);
    var result = [];
    var seen = new Set();
    found.forEach(function (word, i) {
      var prefix = open && i === found.length - 1 && length(word) >= MIN_PREFIX;
      var id = (prefix ? "*" : "=") + word;
      if (length(word) >= MIN_WORD && !seen.has(id)) {
        seen.add(id);
        result.push({ word: word, prefix: prefix });
      }
    });
    return result;
  }

  // --- loading the index -------------------------------------------------------------------

  var index = null; // a promise of search/index.json
  var shards = {}; // shard key -> promise of a shard
  var parts = {}; // table part number -> promise of its rows
  var fetches = 0; // files fetched so far (the benchmark reports it)

  function getJSON(path) {
    fetches += 1;
    return fetch(new URL(path, root)).then(function (response) {
      if (!response.ok) {
        throw new Error(path + ": " + response.status);
      }
      return response.json();
    });
  }

  function loadIndex() {
    if (!index) {
      index = getJSON("search/index.json").then(function (data) {
        data.keys = Object.keys(data.shards);
        return data;
      });
      index.catch(function () {
        index = null; // try again on the next query
      });
    }
    return index;
  }

  function loadShard(data, key) {
    if (!shards[key]) {
      shards[key] = getJSON("search/" + data.shards[key]).then(function (shard) {
        // Maps, not objects: a word such as "constructor" is just a word.
        return {
          t: new Map(Object.entries(shard.t)),
          h: new Map(Object.entries(shard.h)),
          words: Object.keys(shard.t),
          decoded: new Map()
        };
      });
      shards[key].catch(function () {
        delete shards[key];
      });
    }
    return shards[key];
  }

  // The rows of the article table for these article numbers: a Map, number -> row.
  function loadRows(data, wanted) {
    var size = data.table_rows;
    var needed = Array.from(new Set(wanted.map(function (n) { return Math.floor(n / size); })));
    return Promise.all(needed.map(function (k) {
      if (!parts[k]) {
        parts[k] = getJSON("search/" + data.table[k]);
        parts[k].catch(function () {
          delete parts[k]; // try again on the next query
        });
      }
      return parts[k];
    })).then(function (loaded) {
      var part = new Map(needed.map(function (k, i) { return [k, loaded[i]]; }));
      return new Map(wanted.map(function (n) {
        return [n, part.get(Math.floor(n / size))[n % size]];
      }));
    });
  }

  // The shards that hold a word (or, for a prefix, every word it starts).
  function shardKeys(data, term) {
    var keys = [];
    var longest = null;
    data.keys.forEach(function (key) {
      if (term.word.startsWith(key) && (longest === null || key.length > longest.length)) {
        longest = key;
      } else if (term.prefix && key.startsWith(term.word)) {
        keys.push(key);
      }
    });
    if (longest !== null) {
      keys.push(longest);
    }
    return keys;
  }

  // Article numbers: differences from the one before; -k is k more in a row.
  function postings(shard, kind, word) {
    var id = kind + word;
    if (!shard.decoded.has(id)) {
      var encoded = shard[kind].get(word) || [];
      var numbers = [];
      var current = -1;
      for (var i = 0; i < encoded.length; i++) {
        var value = encoded[i];
        if (value < 0) {
          for (var k = 0; k < -value; k++) {
            current += 1;
            numbers.push(current);
          }
        } else {
          current += value;
          numbers.push(current);
        }
      }
      shard.decoded.set(id, numbers);
    }
    return shard.decoded.get(id);
  }

  // --- searching ---------------------------------------------------------------------------

  function find(data, wanted, loaded) {
    var count = data.articles;
    var matched = new Uint8Array(count);
    var headline = new Uint8Array(count);
    var seen = new Int32Array(count);
    var seenInHeadline = new Int32Array(count);
    wanted.forEach(function (term, t) {
      var mark = t + 1;
      loaded[t].forEach(function (shard) {
        var words = term.prefix
          ? shard.words.filter(function (w) { return w.startsWith(term.word); })
          : (shard.t.has(term.word) ? [term.word] : []);
        words.forEach(function (word) {
          postings(shard, "t", word).forEach(function (n) {
            if (seen[n] !== mark) {
              seen[n] = mark;
              matched[n] += 1;
            }
          });
          postings(shard, "h", word).forEach(function (n) {
            if (seenInHeadline[n] !== mark) {
              seenInHeadline[n] = mark;
              headline[n] += 1;
            }
          });
        });
      });
    });
    var results = [];
    for (var n = 0; n < count; n++) {
      if (matched[n] === wanted.length) {
        results.push(n);
      }
    }
    return results.sort(function (a, b) {
      return headline[b] - headline[a] || a - b;
    });
  }

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

  function item(data, article) {
    // article: [event, date text, slug, headline]
    var event = data.events[article[0]]; // [page path, name]
    var link = document.createElement("a");
    link.href = new URL(event[0] + article[2] + "/", root).href;
    var headline = document.createElement("span");
    headline.className = "search-headline";
    headline.textContent = article[3];
    var meta = document.createElement("span");
    meta.className = "search-meta";
    meta.textContent = article[1] + " · " + event[1];
    link.append(headline, " ", meta);
    var li = document.createElement("li");
    li.append(link);
    return li;
  }

  function show(query, data, results, rows, fetched) {
    var shown = results.slice(0, SHOWN);
    list.replaceChildren.apply(list, shown.map(function (n) { return item(data, rows.get(n)); }));
    list.hidden = shown.length === 0;
    var total = numbers.format(results.length);
    if (!data) {
      status.textContent = ""; // nothing to search for yet
    } else if (results.length === 0) {
      status.textContent = say(text.none, { query: query.trim() });
    } else if (results.length > shown.length) {
      status.textContent = say(text.more, { n: total, shown: shown.length });
    } else {
      status.textContent = say(results.length === 1 ? text.one : text.many, { n: total });
    }
    form.dispatchEvent(new CustomEvent("search-rendered", {
      detail: { query: query, count: results.length, fetched: fetched }
    }));
  }

  var latest = 0;

  function run(query) {
    var ticket = ++latest;
    var before = fetches;
    var wanted = terms(query);
    if (wanted.length === 0) {
      show(query, null, [], new Map(), 0);
      return;
    }
    loadIndex()
      .then(function (data) {
        return Promise.all(wanted.map(function (term) {
          return Promise.all(shardKeys(data, term).map(function (key) {
            return loadShard(data, key);
          }));
        })).then(function (loaded) {
          var results = find(data, wanted, loaded);
          return loadRows(data, results.slice(0, SHOWN)).then(function (rows) {
            if (ticket === latest) {
              show(query, data, results, rows, fetches - before);
            }
          });
        });
      })
      .catch(function () {
        if (ticket === latest) {
          list.replaceChildren();
          list.hidden = true;
          status.textContent = text.error;
        }
      });
  }

  // --- keyboard ----------------------------------------------------------------------------

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  input.addEventListener("input", function () {
    run(input.value);
  });
  input.addEventListener("focus", function () {
    loadIndex().catch(function () {}); // fetch while the reader types
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    } else if (event.key === "Escape" && input.value) {
      event.preventDefault();
      input.value = "";
      run("");
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault(); // Enter: to the first result, to read on or open with Enter
    if (links().length) {
      links()[0].focus();
    }
  });
  list.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (at < 0) {
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = at + (event.key === "ArrowDown" ? 1 : -1);
      (next < 0 ? input : all[Math.min(next, all.length - 1)]).focus();
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      all[event.key === "Home" ? 0 : all.length - 1].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      input.focus();
    }
  });

  form.hidden = false;
  var fallback = document.querySelector(".search-fallback");
  if (fallback) {
    fallback.hidden = true;
  }
})();
