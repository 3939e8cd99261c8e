"""Send every case of cases.py to FastAPI and to the generated Rust server; compare the status
and, for validation errors, the `detail` list: `loc`, `type` and `msg` of each entry, in order.

    python diff.py FASTAPI_URL STENCIL_URL [--known FILE] [--report FILE]

Prints each difference and a last line `N passed, M failed`; exits 1 on any difference that the
known-differences file (lines `case name<TAB>reason`) does not list with its reason. A listed
case that no longer differs is reported too, so the list cannot go stale.
"""

import json
import sys

import httpx

import cases


def send(client, base, case):
    headers = dict(case["headers"])
    if case["cookies"]:
        headers["cookie"] = "; ".join(f"{k}={v}" for k, v in case["cookies"].items())
    query = []
    for k, v in case["query"].items():
        for item in v if isinstance(v, list) else [v]:
            query.append((k, item))
    kwargs = {}
    kind, body = case["kind"], case["body"]
    if kind == "json":
        kwargs["content"] = json.dumps(body).encode()
        headers["content-type"] = "application/json"
    elif kind == "raw":
        kwargs["content"] = body.encode()
        headers["content-type"] = "application/json"
    elif kind == "form":
        kwargs["data"] = body
    elif kind == "multipart":
        fields = {k: v for k, v in body.items() if k != "file"}
        files = {"file": ("a.txt", body["file"].encode(), "text/plain")} if "file" in body else None
        kwargs["data"] = fields
        # httpx sends multipart only with files; force it with an empty marker otherwise.
        kwargs["files"] = files or {"__none__": ("", b"", "application/octet-stream")}
    r = client.request(case["method"], base + case["path"], params=query, headers=headers, **kwargs)
    return r


def summary(response):
    """(status, [(loc, type, msg)]) and, apart, [(input, ctx)] of each validation error."""
    try:
        body = response.json()
    except ValueError:
        return (response.status_code, None), None
    detail = body.get("detail") if isinstance(body, dict) else None
    if response.status_code == 422 and isinstance(detail, list):
        main = [(tuple(d.get("loc", [])), d.get("type"), d.get("msg")) for d in detail]
        extras = [(d.get("input", "<absent>"), d.get("ctx", "<absent>")) for d in detail]
        return (422, main), extras
    return (response.status_code, None), None


def main():
    fastapi, stencil = sys.argv[1], sys.argv[2]
    report = sys.argv[sys.argv.index("--report") + 1] if "--report" in sys.argv else None
    known = {}
    if "--known" in sys.argv:
        with open(sys.argv[sys.argv.index("--known") + 1]) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    name, reason = line.rstrip("\n").split("\t", 1)
                    known[name] = reason
    passed, failed, explained, stale, rows = 0, 0, 0, [], []
    extras_differ = 0
    with httpx.Client(timeout=30) as client:
        for name, case in cases.all_cases():
            a, a_extras = summary(send(client, fastapi, case))
            b, b_extras = summary(send(client, stencil, case))
            if a == b and a_extras != b_extras:
                extras_differ += 1
                print(f"EXTRAS {name}\n  fastapi: {a_extras}\n  stencil: {b_extras}")
            if a == b:
                passed += 1
                rows.append((name, "same", a, b))
                if name in known:
                    stale.append(name)
                continue
            if name in known:
                explained += 1
                rows.append((name, "known", a, b))
                print(f"KNOWN {name} ({known[name]})")
                continue
            failed += 1
            rows.append((name, "DIFFERENT", a, b))
            print(f"DIFF {name}\n  fastapi: {a}\n  stencil: {b}")
    if report:
        with open(report, "w") as f:
            for name, verdict, a, b in rows:
                f.write(json.dumps({"case": name, "verdict": verdict, "fastapi": a, "stencil": b}) + "\n")
    for name in stale:
        print(f"STALE {name}: listed in the known differences but now the same; remove it")
    print(f"fastapi-diff: {len(rows)} requests, {explained} known differences, "
          f"{extras_differ} with the same status/loc/type/msg but another input or ctx")
    print(f"{passed} passed, {failed + len(stale)} failed")
    sys.exit(1 if failed or stale else 0)


if __name__ == "__main__":
    main()
