"""Cut OpenAI's published document down to one operation: `POST /chat/completions`.

    python3 specs/openai/trim.py openai.yaml > specs/openai/chat-completions.yaml

Keeps `openapi`, `info`, `servers`, `security`, the operation as published, and the
components it reaches through `$ref` (schemas, responses, parameters, ...), in the document's
order; drops the other paths, webhooks and `x-oaiMeta` (the documentation site's navigation).
Needs PyYAML.
"""

import sys

import yaml


def refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            found.add(tuple(ref[len("#/components/"):].split("/", 1)))
        for value in node.values():
            refs(value, found)
    elif isinstance(node, list):
        for value in node:
            refs(value, found)


def main(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    operation = doc["paths"]["/chat/completions"]["post"]
    components = doc.get("components", {})
    kept, todo = set(), set()
    refs(operation, todo)
    while todo:
        key = todo.pop()
        if key in kept:
            continue
        kept.add(key)
        refs(components[key[0]][key[1]], todo)
    out = {k: doc[k] for k in ("openapi", "info", "servers", "security") if k in doc}
    out["paths"] = {"/chat/completions": {"post": operation}}
    out["components"] = {
        section: {
            name: node
            for name, node in entries.items()
            if section == "securitySchemes" or (section, name) in kept
        }
        for section, entries in components.items()
        if section == "securitySchemes" or any(s == section for s, _ in kept)
    }
    yaml.safe_dump(out, sys.stdout, sort_keys=False, allow_unicode=True, width=100)


if __name__ == "__main__":
    main(sys.argv[1])
