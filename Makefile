# Makefile: builds libkulak.a, the stage binaries and the kulak CLI into bin/, and runs the
# pipeline (`make run`), the tests (`make test`) and the benchmarks (`make bench`).
# `make run` and `make test` first install missing Debian packages (`make deps`).

CC      ?= cc
CFLAGS  ?= -O2 -g
# Always on, whatever CFLAGS the caller gives (make CFLAGS=... only changes optimisation).
KCFLAGS  = -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -MMD -MP
PKGS     = libzmq libczmq sqlite3 libutf8proc msgpack jansson libxxhash libmicrohttpd
LDLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lcsv -lm
DEBS     = build-essential pkg-config sqlite3 libzmq3-dev libczmq-dev libsqlite3-dev \
           libutf8proc-dev libstemmer-dev libmsgpack-dev libjansson-dev libcsv-dev \
           libxxhash-dev libmicrohttpd-dev
BUILD   ?= build
DB      ?= kulak.db
DIGEST  ?= digest.md

LIB_SRC  = $(wildcard src/*.c)
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/src/%.o)
LIB      = $(BUILD)/libkulak.a
STAGES   = kulak kulak-collect kulak-normalize kulak-tag kulak-store
BINS     = $(STAGES:%=bin/%)
TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

# The Turkish survey export names its columns in Turkish: --map says where our fields are.
SURVEY_MAP = id=Yanıt No,customer=Müşteri No,time=Tarih,nps=Tavsiye Puanı,csat=Memnuniyet,ces=Efor,text=Yorum

.PHONY: all deps run test unit-tests bench bench-accuracy bench-speed models asan clean

all: $(BINS)

deps:
	@missing=""; for p in $(DEBS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "kulak: installing Debian packages:$$missing"; \
	    SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null || \
	    { echo "kulak: apt-get failed; install these packages and retry:$$missing" >&2; exit 1; }; \
	fi

$(BUILD)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(KCFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

bin/%: stages/%.c $(LIB)
	@mkdir -p bin
	$(CC) $(CFLAGS) $(KCFLAGS) $(LDFLAGS) $< $(LIB) $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/%.c tests/check.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(KCFLAGS) $(LDFLAGS) -Itests $< $(LIB) $(LDLIBS) -o $@

run: deps
	@$(MAKE) --no-print-directory all
	bin/kulak run --db $(DB) --map "$(SURVEY_MAP)" examples/*.csv examples/*.jsonl
	bin/kulak digest --db $(DB) -o $(DIGEST)
	@echo
	@echo "database: $(abspath $(DB))   (try: sqlite3 $(DB) 'select channel, count(*) from records group by 1')"
	@echo "digest:   $(abspath $(DIGEST))"

test: deps
	@$(MAKE) --no-print-directory all $(TEST_BIN)
	@tests/run.sh $(BUILD)/tests

bench: deps
	@$(MAKE) --no-print-directory all
	@bench/run.sh

bench-accuracy: deps
	@$(MAKE) --no-print-directory all
	@bench/accuracy.sh

# Re-trains the shipped sentiment models from ../shared/datasets (see lexicons/SOURCES).
DATASETS ?= ../shared/datasets
models: all
	bin/kulak train --lang tr -o lexicons/tr/model.tsv \
	    $(DATASETS)/tr_store_reviews/eval.tsv $(DATASETS)/tr_movie_reviews/eval.tsv
	bin/kulak train --lang en -o lexicons/en/model.tsv \
	    $(DATASETS)/en_vader_tweets/eval.tsv $(DATASETS)/en_vader_amazon/eval.tsv \
	    $(DATASETS)/en_vader_movie/eval.tsv

asan:
	$(MAKE) BUILD=build-asan CC=clang \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" \
	    LDFLAGS="-fsanitize=address,undefined" all

clean:
	rm -rf $(BUILD) build-asan bin

-include $(LIB_OBJ:.o=.d)
