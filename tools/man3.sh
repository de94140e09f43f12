#!/bin/sh
# man 3 docrules from include/docrules.h: the header is the manual, this
# only typesets it. Comments become paragraphs (indented lines in them,
# code), "--- Title ---" comments become sections, declarations become code.
#   sh tools/man3.sh VERSION < include/docrules.h > docrules.3
set -eu
awk -v version="${1:-}" '
function esc(s) { gsub(/\\/, "\\e", s); if (s ~ /^[.\x27]/) s = "\\&" s; return s }
function flush_code() { if (incode) { print ".fi"; print ".RE"; incode = 0 } }
function code(s) { if (!incode) { print ".RS 2"; print ".nf"; incode = 1 } print esc(s) }
BEGIN {
    print ".TH DOCRULES 3 \"\" \"docrules " version "\" \"docrules library\""
    print ".SH NAME"
    print "docrules \\- decisions from documentation, as a C library"
    print ".SH SYNOPSIS"
    print ".nf"
    print "#include <docrules.h>"
    print ""
    print "cc prog.c $(pkg-config --cflags --libs docrules)"
    print ".fi"
    print ".SH DESCRIPTION"
}
# Guards and the export macro are for the compiler, not the reader.
/^#(ifndef|ifdef|if|else|endif|include|define DOCRULES_H$|define DOCRULES_EXTERN)/ { next }
/^extern "C"|^}$/ { next }
/^\/\* *--- / {
    flush_code()
    t = $0; sub(/^\/\* *--- */, "", t); sub(/ *-+ *\*\/ *$/, "", t)
    print ".SH " toupper(t); next
}
/^ *\/\*/ {
    flush_code(); incomment = 1
    line = $0; sub(/^ *\/\* ?/, "", line)
    done = sub(/ *\*\/ *$/, "", line)
    if (line != "") print esc(line)
    if (done) { incomment = 0; print ".PP" }
    next
}
incomment {
    line = $0; done = sub(/ *\*\/ *$/, "", line)
    sub(/^ *\* ?/, "", line)
    if (line ~ /^    /) { sub(/^    /, "", line); code(line) }
    else { flush_code(); if (line == "") print ".PP"; else print esc(line) }
    if (done) { flush_code(); incomment = 0; print ".PP" }
    next
}
/^$/ { flush_code(); next }
{ line = $0; gsub(/DOCRULES_EXTERN /, "", line); code(line) }
END { flush_code()
    print ".SH SEE ALSO"
    print "docrules(1), and README.md of the source tree."
}
'
