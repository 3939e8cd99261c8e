"""The FastAPI app of the differential test (issue 20).

It covers the pydantic features FastAPI documents use: generics, tagged and untagged unions,
tuples, enums, constraints on strings and numbers, dates and datetimes, UUIDs, nested models,
optional and nullable fields, query / path / header / cookie parameters, form and multipart
bodies. Every handler answers a fixed value: the test is about how invalid requests are
rejected, so what a valid request gets back only has to be the same on both sides.

`python app.py openapi` prints the document the Rust server is generated from;
`python app.py serve HOST PORT` serves the app.
"""

import datetime
import enum
import json
import sys
import uuid
from typing import Annotated, Generic, Literal, Optional, TypeVar, Union

from fastapi import Body, Cookie, FastAPI, File, Form, Header, Path, Query, UploadFile
from pydantic import BaseModel, Field

app = FastAPI(title="Stencil differential app", version="1.0.0")

T = TypeVar("T")


class Colour(str, enum.Enum):
    red = "red"
    green = "green"
    blue = "blue"


class Level(int, enum.Enum):
    low = 1
    high = 2


class Address(BaseModel):
    street: str = Field(min_length=1, max_length=40)
    zip: str = Field(pattern=r"^[0-9]{5}$")
    country: Optional[str] = None


class Person(BaseModel):
    name: str = Field(min_length=2, max_length=20)
    age: int = Field(ge=0, le=150)
    email: Optional[str] = None
    height: float = Field(gt=0, lt=3.5)
    nickname: Optional[str] = Field(default=None, max_length=10)
    tags: list[str] = Field(default_factory=list, max_length=3)
    address: Optional[Address] = None
    colour: Colour = Colour.red
    level: Level = Level.low
    active: bool = True
    id: Optional[uuid.UUID] = None


class Cat(BaseModel):
    pet_type: Literal["cat"]
    meows: int = Field(le=100)


class Dog(BaseModel):
    pet_type: Literal["dog"]
    barks: float


class Owner(BaseModel):
    pet: Annotated[Union[Cat, Dog], Field(discriminator="pet_type")]
    pair: tuple[int, str]
    untagged: Union[int, str]
    nullable_count: Optional[int]


class Event(BaseModel):
    when: datetime.datetime
    day: datetime.date
    span: Optional[list[int]] = None
    ratio: Optional[float] = Field(default=None, multiple_of=0.5)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(ge=0)


class Success(BaseModel, Generic[T]):
    success: bool = True
    data: T


@app.post("/people", response_model=Success[Person])
def create_person(person: Person):
    return {"success": True, "data": person}


@app.post("/owners", response_model=Success[str])
def create_owner(owner: Owner):
    return {"success": True, "data": "ok"}


@app.post("/events", response_model=Success[str])
def create_event(event: Event):
    return {"success": True, "data": "ok"}


@app.post("/pages", response_model=Success[int])
def create_page(page: Page[Address]):
    return {"success": True, "data": page.total}


@app.get("/items/{item_id}", response_model=Success[str])
def read_item(
    item_id: Annotated[int, Path(ge=1, le=1000)],
    q: Annotated[Optional[str], Query(min_length=3, max_length=10)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    colour: Optional[Colour] = None,
    since: Optional[datetime.date] = None,
    flag: bool = False,
):
    return {"success": True, "data": "ok"}


@app.get("/things/{thing_id}", response_model=Success[str])
def read_thing(
    thing_id: uuid.UUID,
    x_request_id: Annotated[str, Header(min_length=4)],
    x_day: Annotated[Optional[datetime.date], Header()] = None,
    session: Annotated[Optional[str], Cookie(max_length=8)] = None,
    ids: Annotated[Optional[list[int]], Query()] = None,
):
    return {"success": True, "data": "ok"}


@app.get("/search", response_model=Success[str])
def search(
    term: Annotated[str, Query(pattern=r"^[a-z]+$")],
    score: Annotated[float, Query(gt=0.0)],
    at: Optional[datetime.datetime] = None,
):
    return {"success": True, "data": "ok"}


@app.post("/token", response_model=Success[str])
def login(
    username: Annotated[str, Form(min_length=3)],
    password: Annotated[str, Form(min_length=8)],
    remember: Annotated[bool, Form()] = False,
):
    return {"success": True, "data": "ok"}


@app.post("/upload", response_model=Success[str])
def upload(
    file: Annotated[UploadFile, File()],
    note: Annotated[str, Form(max_length=20)],
    count: Annotated[int, Form(ge=1)] = 1,
):
    return {"success": True, "data": "ok"}


@app.put("/people/{person_id}", response_model=Success[Person])
def replace_person(person_id: int, person: Person, dry_run: bool = False):
    return {"success": True, "data": person}


@app.post("/numbers", response_model=Success[str])
def numbers(
    values: Annotated[list[Annotated[int, Field(ge=0)]], Body(max_length=5)],
):
    return {"success": True, "data": "ok"}


if __name__ == "__main__":
    if sys.argv[1:] == ["openapi"]:
        print(json.dumps(app.openapi(), indent=2, sort_keys=False))
    elif sys.argv[1:2] == ["serve"]:
        import uvicorn

        uvicorn.run(app, host=sys.argv[2], port=int(sys.argv[3]), log_level="warning")
    else:
        sys.exit("usage: app.py openapi | serve HOST PORT")
