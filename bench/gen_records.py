#!/usr/bin/env python3
"""bench/gen_records.py N PATH: N generated review records as JSON Lines, for the pipeline
benchmark. Ids BENCH-00000..., channel review, mixed Turkish and English texts of varied
length built from complaint and praise fragments (fixed seed: every run feeds the same
records)."""
import json
import random
import sys

TR = ["Kargo üç gündür gelmedi", "siparişim iptal edildi ve kimse haber vermedi",
      "uygulama sürekli hata veriyor", "müşteri hizmetlerine bir türlü ulaşamıyorum",
      "kurye çok kibardı, teşekkürler", "ürün hasarlı geldi", "iade param hâlâ yatmadı",
      "fiyatlar çok pahalı", "teslimat beklediğimden hızlıydı", "faturama fazla ücret yansımış",
      "şube sayısı yetersiz", "temsilci çok kaba davrandı", "her şey sorunsuzdu"]
EN = ["The delivery was late again", "support never answered my emails",
      "the app crashes every time I log in", "great service, quick and friendly",
      "my parcel arrived damaged", "they charged me twice for one order",
      "the checkout is confusing", "refund took three weeks", "works great, no complaints",
      "I was on hold for an hour", "the courier left it in the rain", "prices went up again"]


def main(n, path):
    rnd = random.Random(4242)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            pool = TR if rnd.random() < 0.5 else EN
            parts = rnd.sample(pool, rnd.randint(1, 3))
            text = (", " if pool is TR else ". ").join(parts) + rnd.choice(["", ".", "!", "!!"])
            record = {"id": f"BENCH-{i:05d}", "channel": "review", "source": "bench",
                      "customer": f"C-{rnd.randint(1, 8000)}",
                      "time": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
                      "rating": rnd.randint(1, 5), "text": text}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(int(sys.argv[1]), sys.argv[2])
