"""Splink 4 (DuckDB backend) on the benchmark's rows and register, as well as we can configure
it; run in its own interpreter by `scripts/bench_verify.py`:

    python scripts/verifybench/splink_run.py ROWS.parquet REGISTER.parquet TRUTH.parquet OUT_DIR

Input: the frames our engine reads (rows after intake, the register after its load) with
`nik`, `kk`, `name`, `birth_date`, `sex`, `district`. Output in OUT_DIR: `links.parquet`
(every scored row-record pair above a low floor), `dupes.parquet` (row-row pairs),
`clusters.parquet` (Splink's clustering of the row pairs at the threshold that gives Splink
its best F1 against TRUTH.parquet, `row_id` → `person`; the choice is not timed) and
`timings.json`.

What Splink gets, to give it a fair chance:
- Cleaning (timed as Splink's): names upper-cased, titles and degrees dropped, the patronymic
  dropped, old spelling folded (OE→U, DJ→J, TJ→C, CH→KH, J→Y), "Moch."/"M."/... → MUHAMMAD,
  "Achmad" → AHMAD, "St." → SITI; tokens sorted as a second form; empty values as NULL; for the
  NIK also the woman's/man's form (day ±40).
- Comparisons, each with a null level: NIK (exact; same first 15 digits, the spreadsheet
  damage; day ±40; Damerau-Levenshtein ≤ 1; Levenshtein ≤ 2; the KK number in the NIK
  column); name (exact with term-frequency adjustment; same sorted tokens; Jaro-Winkler
  ≥ 0.95 / 0.88; one name's tokens inside the other's; Jaro-Winkler ≥ 0.75); birth date
  (exact; one character apart; within a month; the same year); sex; district; KK.
- Blocking for prediction: the NIK; its first 12 digits; its last 10; the KK number in the
  NIK column (either way); the KK; the day ±40 form; the birth date with sex and district;
  the NIK's district with the birth date; the NIK's serial with the birth date; the name with
  the district; the name with the birth year.
- Training: λ from the exact-NIK rule (recall 0.85), u by random sampling (5 M pairs), m by
  EM on three blocking rules (NIK; birth date and district; first 12 NIK digits).
The threshold is chosen afterwards, by the benchmark, at Splink's best F1 against the truth.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl

TITLES = r"^((H|HJ|HAJI|HAJAH|DRS|DRA|DR|IR|BPK|BAPAK|IBU|NY|SDR|ALM|ALMH)\s+)+"
MOCH = (
    "MOCHAMMAD", "MOCH", "MOH", "M", "MOHAMMAD", "MUHAMAD", "MUCH", "MUKHAMAD", "MOHAMAD",
    "MUKHAMMAD", "MUH", "MOKHAMAD", "MOKHAMMAD",
)  # fmt: skip


def clean(frame: pl.DataFrame, id_col: str) -> pl.DataFrame:
    name = (
        pl.col("name")
        .fill_null("")
        .str.to_uppercase()
        .str.replace(r",.*$", "")  # ", S.Pd." and other degrees
        .str.replace_all(r"[^A-Z]+", " ")
        .str.strip_chars()
        .str.replace(TITLES, "")
        .str.replace(r"\s+BINT?I?\s.*$", "")
        .str.replace_all("OE", "U")
        .str.replace_all("DJ", "J")
        .str.replace_all("TJ", "C")
        .str.replace_all("CH", "KH")
        .str.replace_all("J", "Y")
    )
    tokens = name.str.split(" ")
    first = tokens.list.first()
    fixed_first = (
        pl.when(first.is_in(MOCH))
        .then(pl.lit("MUHAMMAD"))
        .when(first.is_in(["AKHMAD", "AKHMAT", "AHMAT"]))
        .then(pl.lit("AHMAD"))
        .when(first == "ST")
        .then(pl.lit("SITI"))
        .otherwise(first)
    )
    nik = pl.col("nik").fill_null("").str.replace_all(r"\D", "")
    day = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    shifted = pl.when(day > 40).then(day - 40).otherwise(day + 40).cast(pl.String).str.zfill(2)
    out = frame.select(
        pl.col(id_col).alias("unique_id"),
        pl.when(nik != "").then(nik).alias("nik"),
        pl.when((nik.str.len_chars() == 16) & day.is_not_null())
        .then(nik.str.slice(0, 6) + shifted + nik.str.slice(8))
        .alias("nik_alt"),
        pl.when(pl.col("kk").fill_null("") != "").then(pl.col("kk")).alias("kk"),
        name.alias("_name"),
        fixed_first.alias("_first"),
        tokens.alias("_tokens"),
        "birth_date",
        pl.when(pl.col("sex").fill_null("") != "").then(pl.col("sex")).alias("sex"),
        pl.when(pl.col("district").fill_null("") != "").then(pl.col("district")).alias("district"),
    )
    out = out.with_columns(
        name_tokens=pl.concat_list(pl.col("_first"), pl.col("_tokens").list.slice(1)),
    ).with_columns(
        name_norm=pl.col("name_tokens").list.join(" "),
        name_sorted=pl.col("name_tokens").list.sort().list.join(" "),
    )
    return out.select(
        "unique_id",
        "nik",
        "nik_alt",
        "kk",
        pl.when(pl.col("name_norm") != "").then(pl.col("name_norm")).alias("name_norm"),
        pl.when(pl.col("name_norm") != "").then(pl.col("name_sorted")).alias("name_sorted"),
        pl.when(pl.col("name_norm") != "").then(pl.col("name_tokens")).alias("name_tokens"),
        "birth_date",
        pl.col("birth_date").dt.strftime("%Y%m%d").alias("birth_str"),
        pl.col("birth_date").dt.year().alias("birth_year"),
        "sex",
        "district",
    )


def _level(sql: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, **extra}


def _null(column: str) -> dict[str, Any]:
    return _level(f'"{column}_l" IS NULL OR "{column}_r" IS NULL', "null", is_null_level=True)


def comparisons() -> list[dict[str, Any]]:
    nik = {
        "output_column_name": "nik",
        "comparison_levels": [
            _level(
                "(nik_l IS NULL OR nik_r IS NULL) AND NOT (nik_l = kk_r OR kk_l = nik_r)",
                "null",
                is_null_level=True,
            ),
            _level("nik_l = nik_r", "exact"),
            _level(
                "length(nik_l) = 16 AND length(nik_r) = 16 AND "
                "substr(nik_l, 1, 15) = substr(nik_r, 1, 15)",
                "first 15 digits",
            ),
            _level("nik_alt_l = nik_r OR nik_l = nik_alt_r", "day +/- 40"),
            # Levenshtein first: DuckDB's Damerau-Levenshtein costs six times more, and
            # most pairs fail the cheap test.
            _level(
                "levenshtein(nik_l, nik_r) <= 2 AND damerau_levenshtein(nik_l, nik_r) <= 1",
                "one edit",
            ),
            _level("levenshtein(nik_l, nik_r) <= 2", "two edits"),
            _level("nik_l = kk_r OR kk_l = nik_r", "KK in the NIK column"),
            _level("ELSE", "different"),
        ],
    }
    name = {
        "output_column_name": "name",
        "comparison_levels": [
            _null("name_norm"),
            _level(
                "name_norm_l = name_norm_r",
                "exact",
                tf_adjustment_column="name_norm",
                tf_adjustment_weight=1.0,
            ),
            _level("name_sorted_l = name_sorted_r", "same tokens"),
            _level("jaro_winkler_similarity(name_norm_l, name_norm_r) >= 0.95", "jw 0.95"),
            _level("jaro_winkler_similarity(name_norm_l, name_norm_r) >= 0.88", "jw 0.88"),
            _level(
                "list_has_all(name_tokens_l, name_tokens_r) "
                "OR list_has_all(name_tokens_r, name_tokens_l)",
                "tokens inside",
            ),
            _level("jaro_winkler_similarity(name_norm_l, name_norm_r) >= 0.75", "jw 0.75"),
            _level("ELSE", "different"),
        ],
    }
    birth = {
        "output_column_name": "birth_date",
        "comparison_levels": [
            _null("birth_date"),
            _level("birth_date_l = birth_date_r", "exact"),
            _level("hamming(birth_str_l, birth_str_r) <= 1", "one character"),
            _level("abs(date_diff('day', birth_date_l, birth_date_r)) <= 31", "within a month"),
            _level("birth_year_l = birth_year_r", "same year"),
            _level("ELSE", "different"),
        ],
    }

    def exact(column: str) -> dict[str, Any]:
        return {
            "output_column_name": column,
            "comparison_levels": [
                _null(column),
                _level(f'"{column}_l" = "{column}_r"', "exact"),
                _level("ELSE", "different"),
            ],
        }

    return [nik, name, birth, exact("sex"), exact("district"), exact("kk")]


def blocking_rules(dedupe: bool) -> list[str]:
    rules = [
        "l.nik = r.nik",
        "substr(l.nik, 1, 12) = substr(r.nik, 1, 12)",
        "right(l.nik, 10) = right(r.nik, 10)",
        "l.nik = r.kk",
        "l.kk = r.nik",
        "l.kk = r.kk",
        "l.nik_alt = r.nik",
        "l.birth_date = r.birth_date AND l.sex = r.sex AND l.district = r.district",
        "substr(l.nik, 1, 6) = substr(r.nik, 1, 6) AND l.birth_date = r.birth_date",
        "right(l.nik, 4) = right(r.nik, 4) AND l.birth_date = r.birth_date",
        "l.name_norm = r.name_norm AND l.district = r.district",
        "l.name_norm = r.name_norm AND l.birth_year = r.birth_year",
    ]
    del dedupe  # the same rules serve both models: each is symmetric, or given both ways
    return rules


EM_BLOCKS = [
    "l.nik = r.nik",  # trains name, birth date, sex, district, KK
    "l.name_norm = r.name_norm AND l.birth_date = r.birth_date",  # trains NIK, sex, district, KK
]


def _model(
    linker_inputs: list[str],
    link_type: str,
    db_api: Any,
    aliases: list[str] | None,
    log: Any,
) -> Any:
    from splink import Linker, SettingsCreator
    from splink.blocking_rule_library import CustomRule

    settings = SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=[
            CustomRule(rule) for rule in blocking_rules(link_type == "dedupe_only")
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(
        linker_inputs if len(linker_inputs) > 1 else linker_inputs[0],
        settings,
        db_api=db_api,
        input_table_aliases=aliases,
    )
    started = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        [CustomRule("l.nik = r.nik")], recall=0.85
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    for rule in EM_BLOCKS:
        linker.training.estimate_parameters_using_expectation_maximisation(
            CustomRule(rule), fix_probability_two_random_records_match=True
        )
    log(f"    {link_type}: trained in {time.perf_counter() - started:.1f} s")
    return linker


WEIGHTS = tuple(w / 2 for w in range(-10, 61))  # match weights -5 .. 30 in half bits


def best_cluster_threshold(dupes: Path, truth_path: Path) -> tuple[float, list[dict[str, float]]]:
    """The match probability whose connected components give the best pairwise F1 (swept
    over match weights)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from verifybench import quality

    pairs = pl.read_parquet(dupes)
    truth = pl.read_parquet(truth_path).select(pl.col("row_id").alias("key"), "person")
    sweep = []
    for weight in WEIGHTS:
        edges = pairs.filter(pl.col("match_weight") >= weight).select("a", "b")
        score = quality.group_score(quality.with_groups(truth, edges))
        sweep.append({"weight": weight, **score.as_dict()})
    best = max(sweep, key=lambda s: s["f1"])
    return 2 ** best["weight"] / (1 + 2 ** best["weight"]), sweep


def _copy(con: Any, columns: str, table: str, path: Path) -> None:
    """Write `columns` of a DuckDB table to a parquet file (our own table names)."""
    query = f"SELECT {columns} FROM {table}"  # noqa: S608
    con.execute(f"COPY ({query}) TO '{path}' (FORMAT parquet)")


def run(rows_path: Path, register_path: Path, truth_path: Path, out: Path) -> None:
    import logging

    import duckdb
    from splink import DuckDBAPI

    logging.getLogger("splink").setLevel(logging.WARNING)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    timings: dict[str, float] = {}
    rows = pl.read_parquet(rows_path)
    register = pl.read_parquet(register_path)
    con = duckdb.connect()
    con.execute("SET threads TO 2")

    # Cleaning is Splink's work (our engine's `link` cleans too); moving the frames into
    # DuckDB through parquet is overhead our engine does not have, timed apart.
    timings["clean"] = timings["load"] = 0.0
    for name, frame, id_col in (("rows_c", rows, "row_id"), ("reg_c", register, "record_id")):
        started = time.perf_counter()
        cleaned = clean(frame, id_col)
        timings["clean"] += time.perf_counter() - started
        started = time.perf_counter()
        path = out / f"{name}.parquet"
        cleaned.write_parquet(path)
        con.execute(f"CREATE TABLE {name} AS FROM read_parquet('{path}')")
        timings["load"] += time.perf_counter() - started
    db_api = DuckDBAPI(connection=con)

    started = time.perf_counter()
    linker = _model(["rows_c", "reg_c"], "link_only", db_api, ["rows", "register"], log)
    timings["link_train"] = time.perf_counter() - started
    started = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    _copy(
        con,
        "CASE WHEN source_dataset_l = 'rows' THEN unique_id_l ELSE unique_id_r END AS row_id, "
        "CASE WHEN source_dataset_l = 'rows' THEN unique_id_r ELSE unique_id_l END AS record_id, "
        "match_probability, match_weight",
        predictions.physical_name,
        out / "links.parquet",
    )
    timings["link_predict"] = time.perf_counter() - started
    log(f"    link_only: predicted in {timings['link_predict']:.1f} s")

    # A DuckDB API of its own: Splink caches intermediate tables (the concatenated input with
    # term frequencies) per API object, and the link model's cache holds the register too.
    started = time.perf_counter()
    deduper = _model(["rows_c"], "dedupe_only", DuckDBAPI(connection=con), None, log)
    timings["dedupe_train"] = time.perf_counter() - started
    started = time.perf_counter()
    pairs = deduper.inference.predict(threshold_match_probability=0.01)
    _copy(
        con,
        "unique_id_l AS a, unique_id_r AS b, match_probability, match_weight",
        pairs.physical_name,
        out / "dupes.parquet",
    )
    timings["dedupe_predict"] = time.perf_counter() - started
    log(f"    dedupe_only: predicted in {timings['dedupe_predict']:.1f} s")
    # Not timed: the threshold at Splink's best duplicate-group F1 (this flatters Splink).
    threshold, sweep = best_cluster_threshold(out / "dupes.parquet", truth_path)
    started = time.perf_counter()
    clusters = deduper.clustering.cluster_pairwise_predictions_at_threshold(
        pairs, threshold_match_probability=threshold
    )
    _copy(con, "unique_id AS row_id, cluster_id", clusters.physical_name, out / "clusters.parquet")
    timings["cluster"] = time.perf_counter() - started
    timings["total"] = sum(v for k, v in timings.items() if k != "load")
    counts = {
        "link_pairs": con.execute(f"FROM {predictions.physical_name} SELECT count(*)").fetchone(),
        "dedupe_pairs": con.execute(f"FROM {pairs.physical_name} SELECT count(*)").fetchone(),
    }
    summary = {
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "counts": {k: int(v[0]) if v else 0 for k, v in counts.items()},
        "cluster_threshold": threshold,
        "cluster_sweep": sweep,
    }
    (out / "timings.json").write_text(json.dumps(summary))
    print(json.dumps(summary["timings"]))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    run(*(Path(a) for a in sys.argv[1:]))
