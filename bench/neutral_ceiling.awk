# bench/neutral_ceiling.awk: how far better pos/neg tagging alone could take a 3-class
# macro-F1. Reads `kulak eval --predictions` TSV and scores it as if every row kulak called
# pos or neg had the gold pos/neg label where gold is not neutral, keeping kulak's neutral
# calls as they are. If that is below a target, the neutral calls are what keeps it there.
#
#   bin/kulak eval --predictions /tmp/rows.tsv ../shared/datasets/en_vader_tweets/eval.tsv
#   awk -f bench/neutral_ceiling.awk /tmp/rows.tsv
#
# As the report does, it leaves out rows without a gold label and rows that trained the
# model (scored_by "training": their label says nothing).
BEGIN { FS = "\t" }
FNR > 1 && $3 != "unk" && $7 != "training" {
    gold = $3; said = $4
    if (said != "neu" && gold != "neu")
        said = gold
    pairs [gold, said]++; golds [gold]++; saids [said]++; rows++
}
END {
    if (!rows) {
        print "no scored rows with a gold label" > "/dev/stderr"
        exit 1
    }
    for (c in golds) {
        p = saids [c] ? pairs [c, c] / saids [c] : 0
        r = pairs [c, c] / golds [c]
        f1 += p + r ? 2 * p * r / (p + r) : 0
        classes++
    }
    printf "macro-F1 with every pos/neg call right, neutral calls as they are: %.3f\n", f1 / classes
}
