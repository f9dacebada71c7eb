#!/usr/bin/env bash
# The benchmark behind docs/PERFORMANCE.md: end-to-end `framescope analyze` on corpora made by
# ../shared/bench/make_corpus.py, on 1 and 2 threads, with and without hits.csv, from JSONL and
# from a folder of .txt files; wall time, MB/s, articles/s, peak resident memory, start-up time.
# Every run's reports are compared with the 1-thread run's, and with those of a 1-thread run on
# the plain paths (FRAMESCOPE_PLAIN=1, src/plain.rs: the code each fast path is tested against):
# a faster path that changes results is a bug, and the script fails on it.
#
#   scripts/bench.sh [SIZE_MB ...]        (default: 10 200)
#   BENCH_STREAM=5 scripts/bench.sh 200   (also: 5 copies of the 200 MB corpus, ids renamed,
#                                           streamed through standard input: flat memory;
#                                           400 copies, 80 GB, are several times this
#                                           machine's memory and need 45 GB of free disk)
#   BENCH_SHORT=10 scripts/bench.sh 10    (also: 10 million short articles, about 100 bytes
#                                           each, generated and streamed through standard
#                                           input: memory as the article count grows)
#   BENCH_REPEAT=3 scripts/bench.sh       (each configuration run 3 times: the median wall
#                                           time, all of them in the last column, the largest
#                                           peak)
#
# Every timed run writes into an empty folder and starts after a `sync`, so that it does not
# wait on the disk writing out, or discarding, the reports of the run before (a run with
# hits.csv writes four times its input).
#
# Corpora are cached under ${BENCH_DIR:-${TMPDIR:-/tmp}/framescope-bench}.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 200)
dir="${BENCH_DIR:-${TMPDIR:-/tmp}/framescope-bench}"
mkdir -p "$dir"
cargo build --release --quiet
bin=target/release/framescope

repeat="${BENCH_REPEAT:-1}"

# The stream's reports (without hits.csv) are about half its input, articles.csv and
# quotes.csv: say so before the other runs rather than fill the disk after them
# (BENCH_STREAM=400 is 80 GB in, about 40 GB out).
if [ "${BENCH_STREAM:-0}" -gt 0 ]; then
  need=$((${sizes[-1]} * 1000000 * BENCH_STREAM * 55 / 100))
  avail=$(df -B1 --output=avail "$dir" | tail -1)
  if [ "$avail" -lt "$need" ]; then
    echo "the stream's reports need about $((need >> 30)) GiB in $dir; $((avail >> 30)) GiB are free" >&2
    exit 1
  fi
fi

# wall seconds and peak RSS (KiB) of one run writing into OUT, emptied first, after the disk
# has written out what the runs before left to write: "seconds kib"
measure() { # OUT command...
  rm -rf "$1"
  shift
  sync
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/stderr.txt" || {
    cat "$dir/stderr.txt" >&2
    return 1
  }
  cat "$dir/time.txt"
}

# `measure` BENCH_REPEAT times: "median-seconds largest-kib all-seconds" (all joined by "/")
measure_all() { # OUT command...
  local runs=() kibs=() secs kib
  for _ in $(seq "$repeat"); do
    read -r secs kib < <(measure "$@")
    runs+=("$secs")
    kibs+=("$kib")
  done
  printf '%s %s %s\n' \
    "$(printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(((repeat + 1) / 2))p")" \
    "$(printf '%s\n' "${kibs[@]}" | sort -n | tail -1)" \
    "$(IFS=/; echo "${runs[*]}")"
}

# reports of a run, compared with the reference run's (manifest.json names the options, so it
# differs by design)
same_reports() {
  local a="$1" b="$2"
  for f in "$a"/*.csv; do
    cmp -s "$f" "$b/$(basename "$f")" || { echo "DIFFERENT: $f vs $b" >&2; return 1; }
  done
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "framescope $($bin --version | awk '{print $2}'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

# start-up: analyze one short article, median of 11 runs
printf '{"source":"S","text":"The minister said the talks went well."}\n' >"$dir/one.jsonl"
for _ in $(seq 11); do
  /usr/bin/time -f "%e" -o "$dir/t1.txt" $bin analyze "$dir/one.jsonl" --out "$dir/one" --quiet
  cat "$dir/t1.txt"
done | sort -n | sed -n 6p | awk '{printf "start-up (one short article, median of 11): %.0f ms\n", $1 * 1000}'

echo
plain=""
scaling=""
echo "| corpus | input | threads | hits.csv | wall s | MB/s | articles/s | peak RSS MiB | runs s |"
echo "|---|---|---|---|---|---|---|---|---|"
for mb in "${sizes[@]}"; do
  corpus="$dir/corpus-$mb"
  if [ ! -f "$corpus/stats.json" ]; then
    python3 ../shared/bench/make_corpus.py --seeds ../shared/corpus/seeds --out "$corpus" \
      --target-mb "$mb" >/dev/null
  fi
  # the generator writes manifest.csv beside txt/, naming files relative to txt/
  [ -f "$corpus/txt/manifest.csv" ] || cp "$corpus/manifest.csv" "$corpus/txt/manifest.csv"
  bytes=$(stat -c %s "$corpus/corpus.jsonl")
  articles=$(wc -l <"$corpus/corpus.jsonl")
  # one configuration's row; its median wall time is left in `last`, and its reports in
  # out-SIZE-LABEL-tTHREADS; with `against` set, they must be those reports' bytes
  run() { # label input threads hits-flag...
    local label="$1" input="$2" threads="$3"
    shift 3
    local out="$dir/out-$mb-$label-t$threads"
    read -r secs kib all < <(measure_all "$out" $bin analyze "$input" --out "$out" --threads "$threads" --quiet "$@")
    awk -v mb="$mb" -v label="$label" -v t="$threads" -v s="$secs" -v k="$kib" -v all="$all" \
      -v bytes="$bytes" -v n="$articles" -v hits="$([ $# -gt 0 ] && echo off || echo on)" \
      'BEGIN { printf "| %d MB | %s | %d | %s | %.2f | %.1f | %.0f | %.0f | %s |\n",
               mb, label, t, hits, s, bytes / 1e6 / s, n / s, k / 1024, all }'
    last="$secs"
    # the same input on more threads must give the same bytes
    if [ -n "$against" ]; then
      same_reports "$against" "$out"
    fi
  }
  ref="$dir/out-$mb-jsonl-t1"
  against=""
  run jsonl "$corpus/corpus.jsonl" 1
  t1="$last"
  against="$ref"
  run jsonl "$corpus/corpus.jsonl" 2
  t2="$last"
  against=""
  run jsonl-nohits "$corpus/corpus.jsonl" 1 --no-hits
  t1_off="$last"
  against="$dir/out-$mb-jsonl-nohits-t1"
  run jsonl-nohits "$corpus/corpus.jsonl" 2 --no-hits
  t2_off="$last"
  against=""
  run folder "$corpus/txt" 2
  run folder-nohits "$corpus/txt" 2 --no-hits
  scaling="${scaling:+$scaling; }$mb MB $(awk -v a="$t1" -v b="$t2" -v c="$t1_off" -v d="$t2_off" \
    'BEGIN { printf "%.2fx with hits.csv, %.2fx without", a / b, c / d }')"
  # the plain paths must give the same bytes
  read -r secs _ < <(measure "$dir/out-$mb-plain" env FRAMESCOPE_PLAIN=1 $bin analyze \
    "$corpus/corpus.jsonl" --out "$dir/out-$mb-plain" --threads 1 --quiet)
  same_reports "$ref" "$dir/out-$mb-plain"
  plain="${plain:+$plain, }$mb MB in $secs s"
done
echo
echo "one thread to two (median wall times): $scaling"
echo "plain paths (FRAMESCOPE_PLAIN=1, jsonl, 1 thread): the same reports ($plain)"

# Flat memory: the last corpus, several times over (ids renamed so none is a duplicate),
# through standard input with hits.csv off (no first pass: a stream is read once).
copies="${BENCH_STREAM:-0}"
if [ "$copies" -gt 0 ]; then
  mb="${sizes[-1]}"
  corpus="$dir/corpus-$mb/corpus.jsonl"
  bytes=$(($(stat -c %s "$corpus") * copies))
  articles=$(($(wc -l <"$corpus") * copies))
  read -r secs kib < <(
    for i in $(seq "$copies"); do sed "s/^{\"id\": \"/{\"id\": \"r$i-/" "$corpus"; done |
      measure "$dir/out-stream" $bin analyze - --out "$dir/out-stream" --threads 2 --quiet --no-hits
  )
  awk -v s="$secs" -v k="$kib" -v bytes="$bytes" -v n="$articles" -v c="$copies" -v mb="$mb" \
    'BEGIN { printf "| %d x %d MB | stdin | 2 | off | %.2f | %.1f | %.0f | %.0f | %.2f |\n",
             c, mb, s, bytes / 1e6 / s, n / s, k / 1024, s }'
  # every copy scored, none skipped
  skipped=$(($(wc -l <"$dir/out-stream/skipped.csv") - 1))
  [ "$skipped" -eq 0 ] || { echo "stream run skipped $skipped inputs" >&2; exit 1; }
fi

short="${BENCH_SHORT:-0}"
if [ "$short" -gt 0 ]; then
  articles=$((short * 1000000))
  gen() {
    awk -v n="$articles" 'BEGIN { for (i = 0; i < n; i++)
      printf "{\"id\":\"t%09d\",\"source\":\"Outlet %d\",\"text\":\"The minister said the talks went well on day %d.\"}\n", i, i % 12, i }'
  }
  bytes=$(gen | wc -c)
  read -r secs kib < <(gen | measure "$dir/out-short" $bin analyze - --out "$dir/out-short" --threads 2 --quiet --no-hits)
  awk -v s="$secs" -v k="$kib" -v bytes="$bytes" -v n="$articles" \
    'BEGIN { printf "| %d short articles | stdin | 2 | off | %.2f | %.1f | %.0f | %.0f | %.2f |\n",
             n, s, bytes / 1e6 / s, n / s, k / 1024, s }'
  skipped=$(($(wc -l <"$dir/out-short/skipped.csv") - 1))
  [ "$skipped" -eq 0 ] || { echo "short-article run skipped $skipped inputs" >&2; exit 1; }
  rm -rf "$dir/out-short"
fi
