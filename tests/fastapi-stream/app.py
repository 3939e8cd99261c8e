"""A FastAPI app that streams (issue 13): server-sent events and NDJSON, as FastAPI users write
them (`StreamingResponse` over a generator), with the stream media types declared through
`responses=` and the payload models added to the document's components (FastAPI's "Extending
OpenAPI" recipe: a streamed payload is no route's response model, so FastAPI would not list it).

- `GET /ticks?count=N`: N events `event: tick`, `id: n`, `data: {"n": n, "text": ...}`;
  `count` above 1000 is FastAPI's 422.
- `GET /items?count=N`: N lines of JSON, one `Item` each.
- `POST /chat`: JSON (`ChatAnswer`), or with `"stream": true` events whose data is a
  `ChatChunk`, then `data: [DONE]` (OpenAI's convention).

`python app.py openapi` prints the document the Rust client is generated from;
`python app.py serve HOST PORT` serves the app.
"""

import json
import sys
from typing import Annotated, Optional

from fastapi import FastAPI, Query
from fastapi.openapi.utils import get_openapi
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

app = FastAPI(title="Stencil streaming app", version="1.0.0")


class Tick(BaseModel):
    n: int
    text: str


class Item(BaseModel):
    id: int
    name: str
    tags: list[str] = []
    price: Optional[float] = None


class ChatRequest(BaseModel):
    prompt: str
    stream: bool = False


class ChatAnswer(BaseModel):
    text: str
    words: int


class ChatChunk(BaseModel):
    index: int
    delta: str


STREAMED = (Tick, Item, ChatChunk)


def ref(model: type[BaseModel]) -> dict:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def sse(data: str, event: Optional[str] = None, id: Optional[str] = None) -> str:
    head = (f"event: {event}\n" if event else "") + (f"id: {id}\n" if id else "")
    return head + "".join(f"data: {line}\n" for line in data.split("\n")) + "\n"


@app.get(
    "/ticks",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "One `tick` event per tick.",
            "content": {"text/event-stream": {"schema": ref(Tick)}},
        }
    },
)
def ticks(count: Annotated[int, Query(ge=0, le=1000)]):
    def events():
        for n in range(count):
            yield sse(Tick(n=n, text=f"tick {n}").model_dump_json(), "tick", str(n))

    return StreamingResponse(events(), media_type="text/event-stream")


@app.get(
    "/items",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "One item per line.",
            "content": {"application/x-ndjson": {"schema": ref(Item)}},
        }
    },
)
def items(count: Annotated[int, Query(ge=0, le=100000)]):
    def lines():
        for i in range(count):
            item = Item(id=i, name=f"item {i}", tags=["even"] if i % 2 == 0 else [])
            if i % 3 == 0:
                item.price = i / 4
            yield item.model_dump_json(exclude_none=True) + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


@app.post(
    "/chat",
    response_model=ChatAnswer,
    responses={
        200: {
            "description": "The whole answer, or with `stream: true` its chunks as events.",
            "content": {"text/event-stream": {"schema": ref(ChatChunk)}},
        }
    },
)
def chat(request: ChatRequest):
    words = request.prompt.split()
    if not request.stream:
        return ChatAnswer(text=" ".join(words), words=len(words))

    def chunks():
        for i, word in enumerate(words):
            yield sse(ChatChunk(index=i, delta=word).model_dump_json())
        yield sse("[DONE]")

    return StreamingResponse(chunks(), media_type="text/event-stream")


def openapi() -> dict:
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(title=app.title, version=app.version, routes=app.routes)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in STREAMED:
        schemas[model.__name__] = model.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
    document["components"]["schemas"] = dict(sorted(schemas.items()))
    app.openapi_schema = document
    return document


app.openapi = openapi


if __name__ == "__main__":
    if sys.argv[1:] == ["openapi"]:
        print(json.dumps(app.openapi(), indent=2, sort_keys=False))
    elif sys.argv[1:2] == ["serve"]:
        import uvicorn

        uvicorn.run(app, host=sys.argv[2], port=int(sys.argv[3]), log_level="warning")
    else:
        sys.exit("usage: app.py openapi | serve HOST PORT")
