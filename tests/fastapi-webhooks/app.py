"""A FastAPI app that declares webhooks (`app.webhooks`, issue 14).

The document it writes (`specs/fastapi-webhooks/openapi.json`) is generated into
`generated/fastapi-webhooks`: the generated sender sends the webhooks, the generated receiver
receives them. The app also serves a receiver of its own (`/receiver/...`), so the generated
sender is tested against a real FastAPI server too: it validates the payload with pydantic and
keeps what it received, which `GET /receiver/received` lists.

`python app.py openapi` prints the document; `python app.py serve HOST PORT` serves the app.
"""

import datetime
import json
import sys
from typing import Optional

from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI(title="Stencil webhooks app", version="1.0.0")


class Plan(BaseModel):
    name: str = Field(min_length=1, max_length=20)
    monthly_fee: float = Field(ge=0)


class Subscription(BaseModel):
    username: str = Field(min_length=1)
    plan: Plan
    start_date: datetime.datetime
    referrer: Optional[str] = None


class Cancellation(BaseModel):
    username: str
    reason: Optional[str] = None


class Receipt(BaseModel):
    accepted: bool
    note: Optional[str] = None


@app.webhooks.post("new-subscription")
def new_subscription(body: Subscription) -> Receipt:
    """A user subscribed: sent to the URL each subscriber registered."""


@app.webhooks.post("cancellation")
def cancellation(body: Cancellation) -> Receipt:
    """A user cancelled a subscription."""


RECEIVED: list[Subscription] = []


@app.post("/receiver/new-subscription")
def receive_new_subscription(body: Subscription) -> Receipt:
    """A subscriber's endpoint for the `new-subscription` webhook."""
    RECEIVED.append(body)
    return Receipt(accepted=True, note=f"welcome {body.username}")


@app.get("/receiver/received")
def received() -> list[Subscription]:
    """What `/receiver/new-subscription` received, in order."""
    return RECEIVED


if __name__ == "__main__":
    if sys.argv[1:] == ["openapi"]:
        print(json.dumps(app.openapi(), indent=2))
    elif sys.argv[1:2] == ["serve"]:
        import uvicorn

        uvicorn.run(app, host=sys.argv[2], port=int(sys.argv[3]), log_level="warning")
    else:
        sys.exit("usage: app.py openapi | app.py serve HOST PORT")
