#!/usr/bin/env node
// bench/vader.js: the baseline of kulak's benchmarks, VADER's JavaScript port
// (npm vader-sentiment, pinned in bench/package.json), on the same TSV files kulak reads.
//
//   node bench/vader.js score FILE.tsv
//       one pass over the file: 3-class labels from VADER's compound score with the
//       standard thresholds (pos >= 0.05, neg <= -0.05, else neu), accuracy and macro-F1
//       against the file's labels (macro over the classes the file has, as `kulak eval`
//       does), and texts/s of that pass (after an untimed warm-up on 2,000 texts).
//   node bench/vader.js throughput FILE.tsv [SECONDS [WARM_SECONDS]]
//       an untimed warm-up (2,000 texts, then whole passes until WARM_SECONDS, default 0,
//       have gone by; bench/run.sh gives 1, so the JIT reaches its steady speed: 4.5-13%
//       above that after 2,000 texts alone), then polarity_scores on every text, round
//       after round, for at least SECONDS (default 3): texts/s on one thread.
//
// Prints one JSON line. Reading the file and loading the module are not counted.
'use strict';

const fs = require('fs');
const path = require('path');

let vader;
try {
    vader = require(path.join(__dirname, 'node_modules', 'vader-sentiment'));
} catch (e) {
    process.stderr.write('bench/vader.js: vader-sentiment is not installed; run: ' +
                         'npm ci --prefix bench\n');
    process.exit(3);
}
const analyzer = vader.SentimentIntensityAnalyzer;

function readTsv (file) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const rows = [];
    for (let i = 1; i < lines.length; i++) {
        const line = lines[i].replace(/\r$/, '');
        if (!line) continue;
        const cols = line.split('\t');
        if (cols.length < 3) continue;
        rows.push({ label: cols[1], text: cols[2] });
    }
    return rows;
}

function labelOf (compound) {
    if (compound >= 0.05) return 'pos';
    if (compound <= -0.05) return 'neg';
    return 'neu';
}

function seconds () {
    return Number(process.hrtime.bigint()) / 1e9;
}

function score (file) {
    const rows = readTsv(file);
    const classes = ['pos', 'neg', 'neu'];
    const confusion = {};
    for (const g of classes) {
        confusion[g] = {};
        for (const p of classes) confusion[g][p] = 0;
    }
    const predicted = new Array(rows.length);
    for (let i = 0; i < rows.length && i < 2000; i++)        // warm-up, as tag_throughput
        analyzer.polarity_scores(rows[i].text);
    const start = seconds();
    for (let i = 0; i < rows.length; i++)
        predicted[i] = labelOf(analyzer.polarity_scores(rows[i].text).compound);
    const elapsed = seconds() - start;
    let correct = 0, scored = 0;
    for (let i = 0; i < rows.length; i++) {
        const gold = rows[i].label;
        if (!(gold in confusion)) continue;        // 'unk' rows carry themes only
        confusion[gold][predicted[i]]++;
        scored++;
        if (gold === predicted[i]) correct++;
    }
    let fSum = 0, counted = 0;
    for (const c of classes) {
        let tp = confusion[c][c], goldN = 0, predN = 0;
        for (const k of classes) {
            goldN += confusion[c][k];
            predN += confusion[k][c];
        }
        if (!goldN) continue;
        const p = predN ? tp / predN : 0;
        const r = tp / goldN;
        fSum += p + r ? 2 * p * r / (p + r) : 0;
        counted++;
    }
    return {
        file, texts: rows.length, scored,
        accuracy: scored ? correct / scored : 0,
        macro_f1: counted ? fSum / counted : 0,
        seconds: elapsed,
        texts_per_second: rows.length / elapsed,
    };
}

function throughput (file, minSeconds, warmSeconds) {
    const texts = readTsv(file).map((r) => r.text);
    let sink = 0;
    const warmStart = seconds();
    for (let i = 0; i < texts.length && i < 2000; i++)      // warm-up: let the JIT settle
        sink += analyzer.polarity_scores(texts[i]).compound;
    while (seconds() - warmStart < warmSeconds)
        for (let i = 0; i < texts.length; i++)
            sink += analyzer.polarity_scores(texts[i]).compound;
    const start = seconds();
    let rounds = 0, elapsed = 0;
    do {
        for (let i = 0; i < texts.length; i++)
            sink += analyzer.polarity_scores(texts[i]).compound;
        rounds++;
        elapsed = seconds() - start;
    } while (elapsed < minSeconds);
    return {
        file, texts: texts.length, rounds, seconds: elapsed,
        texts_per_second: texts.length * rounds / elapsed, checksum: Math.round(sink),
    };
}

const [mode, file, extra, warm] = process.argv.slice(2);
if (!file || (mode !== 'score' && mode !== 'throughput')) {
    process.stderr.write('usage: node bench/vader.js score|throughput FILE.tsv [SECONDS [WARM_SECONDS]]\n');
    process.exit(2);
}
const minSeconds = Number(extra || 3), warmSeconds = Number(warm || 0);
if (!(minSeconds > 0) || !(warmSeconds >= 0)) {
    process.stderr.write('bench/vader.js: SECONDS must be a number above 0, WARM_SECONDS 0 or more\n');
    process.exit(2);
}
const result = mode === 'score' ? score(file) : throughput(file, minSeconds, warmSeconds);
process.stdout.write(JSON.stringify(result) + '\n');
