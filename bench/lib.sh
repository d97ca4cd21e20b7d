# bench/lib.sh: shared by the bench scripts (sourced, not run).

# bench_write_section HEADING SECTION_FILE [DOC]: put SECTION_FILE into DOC (default BENCHMARKS.md) in
# place of the section that starts with the line HEADING (up to the next "## " heading), keeping the
# other sections and their order; append it when there is none. Trailing blank lines are trimmed.
bench_write_section() {
  local head=$1 file=$2 doc=${3:-BENCHMARKS.md} tmp
  tmp=$(mktemp)
  touch "$doc"
  awk -v head="$head" -v file="$file" '
    function put(  line) { while ((getline line < file) > 0) print line; print ""; done = 1 }
    $0 == head { put(); skip = 1; next }
    /^## / { skip = 0 }
    !skip { print }
    END { if (!done) { print ""; put() } }' "$doc" |
    awk '{ l[NR] = $0 } END { n = NR; while (n > 0 && l[n] == "") n--; for (i = 1; i <= n; i++) print l[i] }' > "$tmp"
  cp "$tmp" "$doc"
  rm -f "$tmp"
}
