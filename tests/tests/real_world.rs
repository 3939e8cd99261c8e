//! The generated `real-world` crate (specs/fixtures/real-world.yaml): Swagger-style inheritance
//! (a discriminator on the parent, children extending it with `allOf`) decoded polymorphically,
//! unions inside `allOf` or next to properties distributed over the other parts, `allOf` parts
//! that only annotate,
//! operations and parameters named like the client's own items, a JSON-encoded query parameter,
//! `*/*` responses typed as JSON, and status ranges, through the generated client and server.

use std::net::SocketAddr;
use std::sync::Mutex;

use real_world::client::Client;
use real_world::server::{self as api, Api};
use real_world::types::{Cat, CatHuntingSkill, Dog, Filter, Owner, Pet, PetBase, Reactions};
use serde_json::json;
use stencil::server::{http::StatusCode, Error};
use stencil::Nullable;

#[test]
fn a_parent_with_a_discriminator_decodes_as_its_subtypes() {
    let cat: Pet = serde_json::from_value(json!({
        "petType": "cat", "name": "Tom", "huntingSkill": "adventurous"
    }))
    .unwrap();
    let Pet::Cat(Cat {
        name,
        hunting_skill,
        ..
    }) = &cat
    else {
        panic!("not a cat: {cat:?}");
    };
    assert_eq!(
        (name.as_str(), hunting_skill),
        ("Tom", &CatHuntingSkill::Adventurous)
    );
    // The subtype's own fields survive a round trip (a plain `Pet` struct would drop them).
    assert_eq!(
        serde_json::to_value(&cat).unwrap(),
        json!({"petType": "cat", "name": "Tom", "huntingSkill": "adventurous"})
    );
    // A default of the subtype applies.
    let cat: Pet = serde_json::from_value(json!({"petType": "cat", "name": "Kit"})).unwrap();
    assert!(matches!(
        cat,
        Pet::Cat(Cat {
            hunting_skill: CatHuntingSkill::Lazy,
            ..
        })
    ));
    // The parent itself, by its schema name.
    let pet: Pet = serde_json::from_value(json!({"petType": "Pet", "name": "Rex"})).unwrap();
    assert!(matches!(pet, Pet::Pet(PetBase { ref name, .. }) if name == "Rex"));
    // Inside other types, recursively (Owner.pets: Vec<Pet>, Pet.owner: Owner).
    let owner: Owner = serde_json::from_value(json!({
        "pets": [
            {"petType": "dog", "name": "Fido", "packSize": 3},
            {"petType": "cat", "name": "Tom", "owner": {"pets": [{"petType": "Pet", "name": "x"}]}}
        ]
    }))
    .unwrap();
    let pets = owner.pets.unwrap();
    assert!(matches!(&pets[0], Pet::Dog(Dog { pack_size: 3, .. })));
    assert!(matches!(&pets[1], Pet::Cat(_)));
    // A tag no variant has is an error naming the known ones.
    let error = serde_json::from_value::<Pet>(json!({"petType": "bird", "name": "Tweety"}))
        .unwrap_err()
        .to_string();
    assert!(error.contains("bird") && error.contains("cat"), "{error}");
}

#[test]
fn a_discriminator_without_mapping_takes_names_and_declared_values() {
    use real_world::types::{Circle, Figure};
    for tag in ["Circle", "circle"] {
        let figure: Figure = serde_json::from_value(json!({"kind": tag, "radius": 2.0})).unwrap();
        assert!(
            matches!(figure, Figure::Circle(Circle { radius, .. }) if radius == 2.0),
            "{tag}"
        );
    }
    let square: Figure = serde_json::from_value(json!({"kind": "square", "side": 1.5})).unwrap();
    assert!(matches!(square, Figure::Square(_)));
}

#[test]
fn a_union_inside_all_of_is_distributed_over_the_other_parts() {
    use real_world::types::{Tagged, TaggedCircle, TaggedSquare};
    let value = json!({"id": "s1", "label": "big", "kind": "circle", "radius": 2.0});
    let tagged: Tagged = serde_json::from_value(value.clone()).unwrap();
    let Tagged::Circle(TaggedCircle {
        id, label, radius, ..
    }) = &tagged
    else {
        panic!("not a circle: {tagged:?}");
    };
    assert_eq!((id.as_str(), label.as_str(), *radius), ("s1", "big", 2.0));
    assert_eq!(serde_json::to_value(&tagged).unwrap(), value);
    let square: Tagged = serde_json::from_value(
        json!({"id": "s2", "label": "small", "kind": "square", "side": 1.0}),
    )
    .unwrap();
    assert!(matches!(square, Tagged::Square(TaggedSquare { side, .. }) if side == 1.0));
    // Every part's required fields are required in every branch.
    let error =
        serde_json::from_value::<Tagged>(json!({"label": "x", "kind": "circle", "radius": 1}))
            .unwrap_err()
            .to_string();
    assert!(error.contains("id"), "{error}");
}

#[test]
fn properties_next_to_one_of_belong_to_every_branch() {
    use real_world::types::{Note, NoteCircle, NoteVariant1};
    let circle: Note =
        serde_json::from_value(json!({"label": "c", "kind": "circle", "radius": 3.0})).unwrap();
    assert!(
        matches!(circle, Note::Circle(NoteCircle { ref label, radius, .. }) if label.as_deref() == Some("c") && radius == 3.0),
        "{circle:?}"
    );
    let text: Note = serde_json::from_value(json!({"label": "t", "text": "hello"})).unwrap();
    assert_eq!(
        text,
        Note::Variant1(NoteVariant1 {
            label: Some("t".into()),
            text: "hello".into()
        })
    );
}

#[test]
fn constraint_only_branches_leave_one_struct() {
    use real_world::types::Batch;
    let batch: Batch = serde_json::from_value(json!({"fileIds": ["a", "b"]})).unwrap();
    assert_eq!(
        batch.file_ids.as_deref(),
        Some(&["a".to_owned(), "b".to_owned()][..])
    );
    assert_eq!(batch.files, None);
}

#[test]
fn a_parent_listing_its_children_has_them_as_variants() {
    use real_world::types::{Animal, Lion, Zebra};
    let lion: Animal = serde_json::from_value(json!({"type": "Lion", "roar": true})).unwrap();
    assert!(matches!(
        lion,
        Animal::Lion(Lion {
            roar: Some(true),
            ..
        })
    ));
    let zebra: Animal = serde_json::from_value(json!({"type": "Zebra", "stripes": 40})).unwrap();
    assert!(matches!(
        zebra,
        Animal::Zebra(Zebra {
            stripes: Some(40),
            ..
        })
    ));
}

#[test]
fn all_of_parts_that_only_annotate_keep_the_referenced_type() {
    use real_world::types::{Circle, Figure, Hamster, Sketch, Square};
    let sketch: Sketch = serde_json::from_value(json!({
        "figure": null,
        "shape": {"kind": "square", "side": 2.0}
    }))
    .unwrap();
    assert_eq!(sketch.figure, Nullable::Null);
    assert!(matches!(sketch.shape, Some(Figure::Square(Square { side, .. })) if side == 2.0));
    let sketch: Sketch =
        serde_json::from_value(json!({"figure": {"kind": "circle", "radius": 1.0}})).unwrap();
    assert!(matches!(
        sketch.figure,
        Nullable::Value(Figure::Circle(Circle { .. }))
    ));
    // A child of `Pet` written with `type: object` next to its `allOf` is a variant of `Pet`.
    let pet: Pet = serde_json::from_value(json!({"petType": "Hamster", "name": "Hammy"})).unwrap();
    assert!(matches!(pet, Pet::Hamster(Hamster { ref name, .. }) if name == "Hammy"));
}

#[test]
fn property_names_that_collide_keep_their_wire_names() {
    let reactions = Reactions {
        f_1: Some(1),
        f_1_2: Some(2),
        laugh: None,
        field: Some("empty".into()),
        field_2: Some("underscore".into()),
        field_3: None,
    };
    let wire = serde_json::to_value(&reactions).unwrap();
    assert_eq!(
        wire,
        json!({"+1": 1, "-1": 2, "": "empty", "_": "underscore"})
    );
    assert_eq!(
        serde_json::from_value::<Reactions>(wire).unwrap(),
        reactions
    );
}

/// Records what each handler received.
#[derive(Default)]
struct Shelter {
    seen: Mutex<Vec<String>>,
}

impl Api for Shelter {
    type Error = Error;

    async fn new_2(&self, request: api::New2Request) -> Result<api::New2Response, Error> {
        self.seen.lock().unwrap().push(format!("{request:?}"));
        if request.id == "missing" {
            return Ok(api::New2Response::ClientError {
                status: StatusCode::NOT_FOUND,
                body: real_world::types::Problem {
                    title: Some("No such pet".into()),
                    status: Some(404),
                    ..Default::default()
                },
            });
        }
        Ok(api::New2Response::Success {
            status: StatusCode::OK,
            body: Pet::Dog(Dog {
                pet_type: "dog".into(),
                name: request.id,
                owner: None,
                pack_size: 2,
            }),
        })
    }

    async fn send(&self, request: api::SendTypeRequest) -> Result<api::SendTypeResponse, Error> {
        self.seen.lock().unwrap().push(format!("{request:?}"));
        Ok(api::SendTypeResponse::NoContent)
    }

    async fn with_client_2(
        &self,
        request: api::WithClient2Request,
    ) -> Result<api::WithClient2Response, Error> {
        self.seen
            .lock()
            .unwrap()
            .push(format!("with_client_2 {request:?}"));
        Ok(api::WithClient2Response::Ok(Pet::Pet(PetBase {
            pet_type: "Pet".into(),
            name: format!("json {}", request.id),
            owner: None,
        })))
    }

    async fn get_full_pet(
        &self,
        request: api::GetFullPetRequest,
    ) -> Result<api::GetFullPetResponse, Error> {
        self.seen
            .lock()
            .unwrap()
            .push(format!("get_full_pet {request:?}"));
        Ok(api::GetFullPetResponse::Ok(Pet::Pet(PetBase {
            pet_type: "Pet".into(),
            name: format!("full {}", request.id),
            owner: None,
        })))
    }

    async fn delete_pet(
        &self,
        request: api::DeletePetRequest,
    ) -> Result<api::DeletePetResponse, Error> {
        self.seen
            .lock()
            .unwrap()
            .push(format!("delete_pet {request:?}"));
        Ok(api::DeletePetResponse::NoContent)
    }

    async fn owner_pet(
        &self,
        request: api::OwnerPetRequest,
    ) -> Result<api::OwnerPetResponse, Error> {
        Ok(api::OwnerPetResponse::Ok(Pet::Pet(PetBase {
            pet_type: "Pet".into(),
            name: format!("{} of {}", request.pet_id, request.owner_id),
            owner: None,
        })))
    }

    async fn legacy(&self, _: api::LegacyRequest) -> Result<api::LegacyResponse, Error> {
        Ok(api::LegacyResponse::Ok("literal".into()))
    }

    async fn relative(&self, _: api::RelativeRequest) -> Result<api::RelativeResponse, Error> {
        Ok(api::RelativeResponse::NoContent)
    }

    async fn stats(&self, request: api::StatsRequest) -> Result<api::StatsResponse, Error> {
        let days = (request.to - request.from).num_days();
        Ok(api::StatsResponse::Ok([("days".to_owned(), days)].into()))
    }

    async fn into_future(
        &self,
        _: api::IntoFutureRequest,
    ) -> Result<api::IntoFutureResponse, Error> {
        Err(Error::new(StatusCode::NOT_IMPLEMENTED, "unused"))
    }

    async fn default_2(
        &self,
        request: api::Default2Request,
    ) -> Result<api::Default2Response, Error> {
        self.seen.lock().unwrap().push(format!("{request:?}"));
        Ok(api::Default2Response::Created {
            location: Some("/reactions/1".into()),
        })
    }
}

async fn start() -> (std::sync::Arc<stencil::server::Server<Shelter>>, Client) {
    let server = stencil::server::Server::new(Shelter::default());
    let router = api::router_with(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (server, Client::new(format!("http://{addr}")))
}

fn last_seen(server: &stencil::server::Server<Shelter>) -> String {
    server
        .api()
        .seen
        .lock()
        .unwrap()
        .last()
        .cloned()
        .unwrap_or_default()
}

/// Operations that axum cannot route as written: a parameter with a suffix in its segment,
/// several parameters in one segment, a query pair in the path, and routes of one shape with
/// different parameter names. The server picks the operation by method, pattern and query.
#[tokio::test]
async fn templates_axum_cannot_take_are_dispatched_to_their_operation() {
    let (server, client) = start().await;

    let json = client.with_client_2(7).await.unwrap().into_inner();
    assert!(matches!(json, Pet::Pet(PetBase { ref name, .. }) if name == "json 7"));
    assert!(last_seen(&server).starts_with("with_client_2 WithClient2Request { id: 7 }"));

    let full = client.get_full_pet("Rex").await.unwrap().into_inner();
    assert!(matches!(full, Pet::Pet(PetBase { ref name, .. }) if name == "full Rex"));

    // Without the query pair, the same path is the other operation.
    let plain = client.new_2("Rex").await.unwrap().into_inner();
    assert!(matches!(plain, Pet::Dog(_)));

    let deleted = client.delete_pet("p-1").await.unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    assert!(last_seen(&server).contains("pet_id: \"p-1\""));

    // A path variable the document does not declare is a required string; a declared path
    // parameter the path does not name is not required of anyone.
    let pet = client.owner_pet("ann", 3).await.unwrap().into_inner();
    assert!(matches!(pet, Pet::Pet(PetBase { ref name, .. }) if name == "3 of ann"));

    // `/legacy/:id/*` is literal text (axum refuses it as a route), `relative/path` gets its `/`.
    let legacy = client.legacy().await.unwrap().into_inner();
    assert_eq!(legacy, "literal");
    assert_eq!(client.relative().await.unwrap().status().as_u16(), 204);

    let date = |s: &str| s.parse::<stencil::chrono::NaiveDate>().unwrap();
    let stats = client
        .stats(date("2024-03-01"), date("2024-03-26"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stats["days"], 25);

    // Raw requests: a value that fits no pattern, a bad date inside a pattern, and a method
    // no operation of the shape has.
    let http = reqwest::Client::new();
    let base = client.base_url().to_owned();
    let status = |r: reqwest::Response| r.status().as_u16();
    let r = http
        .get(format!("{base}/stats(from=2024-03-01)"))
        .send()
        .await
        .unwrap();
    assert_eq!(status(r), 404);
    let r = http
        .get(format!("{base}/stats(from=2024-03-01,to=soon)"))
        .send()
        .await
        .unwrap();
    assert_eq!(status(r), 422);
    let r = http.post(format!("{base}/pets/7")).send().await.unwrap();
    assert_eq!(status(r), 405);
}

#[tokio::test]
async fn client_and_server_agree_on_awkward_operations() {
    let (server, client) = start().await;

    // A subtype travels as the parent type, and arrives as that subtype.
    let dog = Pet::Dog(Dog {
        pet_type: "dog".into(),
        name: "Fido".into(),
        owner: None,
        pack_size: 4,
    });
    let stored = client.send("7", dog).await.unwrap();
    assert_eq!(stored.status().as_u16(), 204);
    let seen = last_seen(&server);
    assert!(
        seen.contains("Dog(Dog {") && seen.contains("pack_size: 4"),
        "{seen}"
    );

    // Parameters named `id` in three places, `body`, `client` and `self`, and a JSON-encoded
    // query parameter; a `*/*` response decoded as JSON; a status range.
    let pet = client
        .new_2("Rex")
        .id_2(5)
        .id_3("header-id")
        .body_2("b")
        .client("c")
        .self_("s")
        .filter(Filter {
            q: Some("a&b=c".into()),
            additional_properties: Default::default(),
        })
        .await
        .unwrap();
    assert_eq!(pet.status().as_u16(), 200);
    assert!(
        matches!(pet.into_inner(), Pet::Dog(Dog { ref name, pack_size: 2, .. }) if name == "Rex")
    );
    let seen = last_seen(&server);
    for part in [
        "id: \"Rex\"",
        "id_2: Some(5)",
        "id_3: Some(\"header-id\")",
        "body_2: Some(\"b\")",
        "client: Some(\"c\")",
        "self_: Some(\"s\")",
        "q: Some(\"a&b=c\")",
    ] {
        assert!(seen.contains(part), "{part} not in {seen}");
    }

    let missing = client.new_2("missing").await.unwrap_err();
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));

    // `default` is the client's `Default` constructor; the operation is `default_2`.
    let created = client
        .default_2()
        .body(Reactions {
            f_1: Some(3),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    assert!(last_seen(&server).contains("f_1: Some(3)"));
    // The server URL's variables take their defaults.
    assert_eq!(Client::default().base_url(), "https://eu.example.com/v1");
}
