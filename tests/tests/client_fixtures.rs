//! The generated clients of the kitchen-sink fixtures against a recording server on 127.0.0.1:
//! every parameter style (path simple/label/matrix, query form with and without explode,
//! spaceDelimited, pipeDelimited, deepObject, header, cookie), every body kind (JSON, form,
//! multipart with file parts, octet-stream, text), every security scheme kind, and the
//! decoding of every declared status, ranges and `default` included.

mod client_support;

use client_support::{multipart_body, Canned, MockServer};
use serde_json::json;
use stencil::client::Error;
use stencil::Nullable;

fn from_json<T: stencil::serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("fixture value matches the type")
}

const ANIMAL_ID: &str = "6f1c1a52-8a8e-4d39-9d7a-0d6c4a1b2c3d";

fn uuid(s: &str) -> stencil::uuid::Uuid {
    stencil::uuid::Uuid::parse_str(s).unwrap()
}

// ---------------------------------------------------------------------------------------------
// OpenAPI 3.0 kitchen sink (library)

mod library {
    use super::*;
    use kitchen_sink_30::client::{
        Client, GetPublicationError, RegisterMemberError, UpsertPublicationSuccess,
    };
    use kitchen_sink_30::types;

    fn book() -> serde_json::Value {
        json!({
            "kind": "book", "id": 42, "title": "Dune", "subtitle": null, "tags": ["space opera", "classic"],
            "isbn": "9780441013593", "authors": [{"given_name": "Frank", "family_name": "Herbert"}]
        })
    }

    #[tokio::test]
    async fn every_query_style_header_array_and_cookie() {
        let server = MockServer::start().await;
        server.respond(Canned::json(200, json!([])).header("x-total-count", "0"));
        let client = Client::new(server.url());
        client.set_bearer_auth_token("lib-token");
        let response = client
            .list_publications()
            .genre(vec![types::Genre::Crime, types::Genre::Poetry])
            .languages(vec!["en".into(), "fr".into()])
            .isbns(vec!["978-0".into(), "978-1".into()])
            .words(vec!["space opera".into(), "dune".into()])
            .filter(types::PublicationFilter {
                year_from: Some(1990),
                year_to: None,
                available: true,
                rating_above: Some(4.5),
            })
            .sort(types::ListPublicationsSort::MinusYear)
            .offset(20)
            .x_trace_ids(vec![
                uuid(ANIMAL_ID),
                uuid("00000000-0000-0000-0000-000000000001"),
            ])
            .library_session("abc def;x")
            .await
            .unwrap();
        assert!(response.is_empty());
        assert_eq!(
            response.parse_header::<u64>("x-total-count"),
            Some(Ok(0)),
            "declared response header"
        );

        let request = server.last();
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("GET", "/publications")
        );
        assert_eq!(
            request.query.as_deref(),
            Some(
                "genre=crime&genre=poetry\
                 &languages=en,fr\
                 &isbns=978-0|978-1\
                 &words=space%20opera%20dune\
                 &filter[year_from]=1990&filter[available]=true&filter[rating_above]=4.5\
                 &sort=-year&offset=20"
            )
        );
        assert_eq!(
            request.header("x-trace-ids"),
            Some("6f1c1a52-8a8e-4d39-9d7a-0d6c4a1b2c3d,00000000-0000-0000-0000-000000000001")
        );
        assert_eq!(
            request.header("cookie"),
            Some("library_session=abc%20def%3Bx")
        );
        assert_eq!(request.header("authorization"), Some("Bearer lib-token"));
    }

    #[tokio::test]
    async fn unset_optional_parameters_are_left_out() {
        let server = MockServer::start().await;
        server.respond(Canned::json(200, json!([])));
        Client::new(server.url()).list_publications().await.unwrap();
        let request = server.last();
        assert_eq!(request.query, None);
        assert_eq!(request.header("cookie"), None);
        assert_eq!(request.header("x-trace-ids"), None);
        assert_eq!(request.header("authorization"), None, "no token set");
    }

    #[tokio::test]
    async fn default_response_decodes_any_other_status() {
        let server = MockServer::start().await;
        let problem = json!({"type": "about:blank", "title": "Teapot", "status": 418});
        server.respond(Canned::new(
            418,
            "application/problem+json",
            problem.to_string(),
        ));
        let error = Client::new(server.url())
            .list_publications()
            .await
            .unwrap_err();
        let value = error.into_api().expect("default is declared");
        assert_eq!(value.status(), 418);
        let kitchen_sink_30::client::ListPublicationsError::Default(problem) = value.into_inner();
        assert_eq!(problem.title, "Teapot");
    }

    #[tokio::test]
    async fn json_body_and_two_success_statuses_with_different_bodies() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        let publication: types::Publication = from_json(book());

        server.respond(Canned::json(200, book()));
        match client
            .upsert_publication(publication.clone())
            .await
            .unwrap()
            .into_inner()
        {
            UpsertPublicationSuccess::Ok(types::Publication::Book(b)) => {
                assert_eq!(b.title, "Dune")
            }
            other => panic!("{other:?}"),
        }
        let request = server.last();
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("PUT", "/publications")
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(request.json(), serde_json::to_value(&publication).unwrap());

        server.respond(
            Canned::json(201, json!({"id": 43, "href": "/publications/43"}))
                .header("location", "/publications/43"),
        );
        let created = client
            .upsert_publication(publication.clone())
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
        assert_eq!(created.header("location"), Some("/publications/43"));
        assert_eq!(
            *created,
            UpsertPublicationSuccess::Created(types::CreatedRef {
                id: 43,
                href: "/publications/43".into()
            })
        );

        server.respond(Canned::new(
            400,
            "application/problem+json",
            json!({"title": "Bad", "status": 400}).to_string(),
        ));
        let error = client.upsert_publication(publication).await.unwrap_err();
        assert!(
            matches!(error.as_api().map(|v| &**v), Some(kitchen_sink_30::client::UpsertPublicationError::BadRequest(p)) if p.status == 400)
        );
        server.take();
    }

    #[tokio::test]
    async fn the_same_body_as_a_urlencoded_form() {
        let server = MockServer::start().await;
        server.respond(Canned::json(200, book()));
        let client = Client::new(server.url());
        client
            .upsert_publication_form(from_json(book()))
            .await
            .unwrap();
        let request = server.last();
        assert_eq!(
            request.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            request.body_str(),
            "kind=book&id=42&title=Dune&tags=space+opera&tags=classic&isbn=9780441013593\
             &authors=%7B%22given_name%22%3A%22Frank%22%2C%22family_name%22%3A%22Herbert%22%7D",
            "arrays repeat the key, nested objects are JSON text, nulls are left out"
        );
    }

    #[tokio::test]
    async fn status_codes_ranges_and_no_content() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        let problem = |status: u16| json!({"title": "x", "status": status});

        server.respond(Canned::json(404, problem(404)));
        let error = client.get_publication(7).await.unwrap_err();
        assert!(
            matches!(error.into_api().unwrap().into_inner(), GetPublicationError::NotFound(p) if p.status == 404)
        );
        assert_eq!(server.last().path, "/publications/7");

        server.respond(Canned::json(503, problem(503)));
        server.take();
        let error = client.get_publication(7).await.unwrap_err();
        let value = error.into_api().unwrap();
        assert_eq!(value.status(), 503);
        assert!(
            matches!(value.into_inner(), GetPublicationError::ServerError(p) if p.status == 503),
            "5XX range"
        );

        server.respond(Canned::json(409, problem(409)));
        assert!(
            matches!(client.get_publication(7).await, Err(Error::UnexpectedStatus { status, .. }) if status == 409)
        );

        server.take();
        server.respond(Canned::empty(204));
        let deleted = client.delete_publication(7).await.unwrap();
        assert_eq!(deleted.status(), 204);
        assert_eq!(server.last().method, "DELETE");
        server.take();
    }

    #[tokio::test]
    async fn bearer_and_api_key_together() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        client.set_bearer_auth_token("b");
        // Only half of the required set: nothing is sent.
        server.respond(Canned::empty(204));
        client.delete_publication(1).await.unwrap();
        let request = server.last();
        assert_eq!(request.header("authorization"), None);
        assert_eq!(request.header("x-library-key"), None);

        client.set_api_key("k");
        server.respond(Canned::empty(204));
        client.delete_publication(1).await.unwrap();
        let request = server.last();
        assert_eq!(request.header("authorization"), Some("Bearer b"));
        assert_eq!(request.header("x-library-key"), Some("k"));
    }

    #[tokio::test]
    async fn binary_response_with_two_media_types_and_no_security() {
        let server = MockServer::start().await;
        server.respond(Canned::new(200, "image/jpeg", vec![0xff, 0xd8, 0xff, 0x00]));
        let client = Client::new(server.url());
        client.set_bearer_auth_token("b");
        let cover = client.get_cover(42).await.unwrap();
        assert_eq!(&cover[..], &[0xff, 0xd8, 0xff, 0x00]);
        let request = server.last();
        assert_eq!(request.path, "/publications/42/cover");
        assert_eq!(
            request.header("accept"),
            Some("image/jpeg, application/octet-stream")
        );
        assert_eq!(request.header("authorization"), None, "security: []");
    }

    #[tokio::test]
    async fn multipart_with_a_file_part_and_a_json_part() {
        let server = MockServer::start().await;
        server.respond(Canned::empty(204));
        let client = Client::new(server.url());
        let body = types::UploadCoverBody {
            image: stencil::bytes::Bytes::from_static(b"\x89PNG\r\n"),
            credits: Some(
                [
                    (
                        "photo".to_owned(),
                        types::CreditsValue::String("Ann".into()),
                    ),
                    ("year".to_owned(), types::CreditsValue::I64(1965)),
                ]
                .into_iter()
                .collect(),
            ),
        };
        client.upload_cover(42, body).await.unwrap();
        let request = server.last();
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("POST", "/publications/42/cover")
        );
        assert_eq!(
            multipart_body(&request),
            "--BOUNDARY\r\n\
             Content-Disposition: form-data; name=\"image\"; filename=\"image\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n\
             \u{89}PNG\r\n\r\n\
             --BOUNDARY\r\n\
             Content-Disposition: form-data; name=\"credits\"\r\n\
             Content-Type: application/json\r\n\r\n\
             {\"photo\":\"Ann\",\"year\":1965}\r\n\
             --BOUNDARY--\r\n"
                .replace('\u{89}', "\u{fffd}"),
        );
    }

    #[tokio::test]
    async fn label_and_matrix_path_parameters() {
        let server = MockServer::start().await;
        server.respond(Canned::json(200, json!([[]])));
        let rows = Client::new(server.url())
            .get_shelf_row("A1 b/c", 3)
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(server.last().path, "/shelves/.A1%20b%2Fc/;row=3");
    }

    #[tokio::test]
    async fn form_body_and_a_text_error_body() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        let form = types::MemberForm {
            email: "ann@example.org".into(),
            pin: "12 34".into(),
            newsletter: false,
        };
        let member = json!({"id": ANIMAL_ID, "email": "ann@example.org", "joined_at": "2024-03-26T08:00:00Z"});
        server.respond(Canned::json(201, member));
        let created = client.register_member(form.clone()).await.unwrap();
        assert_eq!(created.status(), 201);
        assert_eq!(created.id, uuid(ANIMAL_ID));
        let request = server.last();
        assert_eq!(
            request.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            request.body_str(),
            "email=ann%40example.org&pin=12+34&newsletter=false"
        );

        server.respond(Canned::new(409, "text/plain", "already registered"));
        let error = client.register_member(form).await.unwrap_err();
        assert_eq!(
            error.into_api().unwrap().into_inner(),
            RegisterMemberError::Conflict("already registered".into())
        );
        server.take();
    }

    #[tokio::test]
    async fn bearer_or_oauth2_and_accept_for_a_json_or_csv_response() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        client.set_oauth2_token("oauth");
        server.respond(Canned::json(
            200,
            json!([{"id": 1, "publication_id": 42, "due": "2024-04-01"}]),
        ));
        let loans = client
            .list_loans(uuid(ANIMAL_ID))
            .overdue_only(true)
            .await
            .unwrap();
        assert_eq!(
            loans[0].due,
            stencil::chrono::NaiveDate::from_ymd_opt(2024, 4, 1).unwrap()
        );
        let request = server.last();
        assert_eq!(request.path, format!("/members/{ANIMAL_ID}/loans"));
        assert_eq!(request.query.as_deref(), Some("overdue_only=true"));
        assert_eq!(
            request.header("authorization"),
            Some("Bearer oauth"),
            "the second alternative"
        );
        assert_eq!(request.header("accept"), Some("application/json"));

        client.set_bearer_auth_token("bearer");
        server.respond(Canned::json(200, json!([])));
        client.list_loans(uuid(ANIMAL_ID)).await.unwrap();
        assert_eq!(
            server.last().header("authorization"),
            Some("Bearer bearer"),
            "the first alternative wins"
        );
    }

    #[tokio::test]
    async fn optional_text_body_and_basic_auth() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        client.set_basic_auth("ann", "s3cret:pw");
        server.respond(Canned::empty(204));
        client
            .set_loan_note(9)
            .body("Returned late.\nFine paid: 2€.")
            .await
            .unwrap();
        let request = server.last();
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("PUT", "/loans/9/note")
        );
        assert_eq!(request.header("content-type"), Some("text/plain"));
        assert_eq!(
            request.header("authorization"),
            Some("Basic YW5uOnMzY3JldDpwdw==")
        );
        assert_eq!(request.body_str(), "Returned late.\nFine paid: 2€.");

        server.respond(Canned::empty(204));
        client.set_loan_note(9).await.unwrap();
        let request = server.last();
        assert_eq!(request.header("content-type"), None);
        assert!(request.body.is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// OpenAPI 3.1 kitchen sink (zoo)

mod zoo {
    use super::*;
    use kitchen_sink_31::client::{
        Client, CreateAnimalSuccess, GetAnimalError, ListAnimalsError, LoginError,
    };
    use kitchen_sink_31::types;

    fn animal() -> serde_json::Value {
        json!({"id": ANIMAL_ID, "name": "Leo", "species": "lion", "birth_date": "2015-06-01"})
    }

    fn envelope(code: u16) -> serde_json::Value {
        json!({"error": {"code": code, "message": "m"}})
    }

    #[tokio::test]
    async fn login_form_with_pinned_version_and_401() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        client.set_bearer_auth_token("not sent");
        let form = types::LoginForm {
            grant_type: Nullable::Value("password".into()),
            username: "keeper@zoo.example".into(),
            password: "p&ss w=rd".into(),
            scope: String::new(),
        };
        server.respond(Canned::json(
            200,
            json!({"data": {"access_token": "t", "token_type": "bearer", "expires_in": 60}}),
        ));
        let token = client.login(form.clone()).await.unwrap();
        assert_eq!(token.data.access_token, "t");
        let request = server.last();
        assert_eq!(request.path, "/token");
        assert_eq!(
            request.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(request.header("x-api-version"), Some("2024-03-26"));
        assert_eq!(request.header("authorization"), None);
        assert_eq!(
            request.body_str(),
            "grant_type=password&username=keeper%40zoo.example&password=p%26ss+w%3Drd&scope="
        );

        server.respond(Canned::json(401, envelope(401)));
        let error = client
            .login(types::LoginForm {
                grant_type: Nullable::Null,
                ..form
            })
            .await
            .unwrap_err();
        assert!(matches!(
            error.into_api().unwrap().into_inner(),
            LoginError::Unauthorized(_)
        ));
        assert_eq!(
            server.last().body_str(),
            "username=keeper%40zoo.example&password=p%26ss+w%3Drd&scope=",
            "null is left out"
        );
    }

    #[tokio::test]
    async fn query_explode_and_no_explode_deep_object_required_and_defaults() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        server.respond(
            Canned::json(200, json!({"items": [animal()], "total": 1}))
                .header("x-rate-limit-remaining", "99"),
        );
        let page = client
            .list_animals("north wing")
            .species(vec![types::Species::Lion, types::Species::RedPanda])
            .tags(vec!["big cat".into(), "x,y".into()])
            .filter(types::AnimalFilter {
                min_age: 2,
                max_age: None,
                sort: types::AnimalFilterSort::Name,
            })
            .include_archived(false)
            .page(1)
            .limit(50)
            .await
            .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.items[0].species, types::Species::Lion);
        assert_eq!(page.header("x-rate-limit-remaining"), Some("99"));
        let request = server.last();
        assert_eq!(
            request.query.as_deref(),
            Some(
                "species=lion&species=red_panda&tags=big%20cat,x%2Cy&filter[min_age]=2&filter[sort]=name\
                 &zone=north%20wing&include_archived=false&page=1&limit=50"
            )
        );
        assert_eq!(request.header("x-api-version"), Some("2024-03-26"));

        server.respond(Canned::json(200, json!({"items": [], "total": 0})));
        client.list_animals("z").await.unwrap();
        assert_eq!(
            server.last().query.as_deref(),
            Some("zone=z"),
            "only the required parameter"
        );
    }

    #[tokio::test]
    async fn every_declared_error_status_of_list_animals() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        let unprocessable = json!({"error": {"code": 422, "message": "Field required", "loc": ["query", "zone"], "msg": "m", "type": "missing"}});
        let cases = [
            (400, envelope(400)),
            (401, envelope(401)),
            (403, envelope(403)),
            (422, unprocessable),
            (500, json!({"code": 500, "message": "boom"})),
            (
                404,
                json!({"code": 404, "message": "default takes undeclared statuses"}),
            ),
        ];
        for (status, body) in cases {
            server.respond(Canned::json(status, body));
            let value = client
                .list_animals("z")
                .await
                .unwrap_err()
                .into_api()
                .unwrap();
            assert_eq!(value.status(), status);
            let variant = match value.into_inner() {
                ListAnimalsError::BadRequest(_) => 400,
                ListAnimalsError::Unauthorized(_) => 401,
                ListAnimalsError::Forbidden(_) => 403,
                ListAnimalsError::UnprocessableEntity(e) => {
                    assert_eq!(e.error.unwrap().type_.as_deref(), Some("missing"));
                    422
                }
                ListAnimalsError::Default(e) => e.code as u16,
            };
            assert_eq!(variant, status);
        }
        server.take();
    }

    #[tokio::test]
    async fn json_and_form_bodies_of_one_operation_and_200_vs_201() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        let new_animal = types::AnimalCreate {
            name: "Leo".into(),
            species: types::Species::Lion,
            birth_date: Nullable::Value(
                stencil::chrono::NaiveDate::from_ymd_opt(2015, 6, 1).unwrap(),
            ),
            danger_level: types::DangerLevel::V4,
        };

        server.respond(Canned::json(200, animal()));
        let existing = client.create_animal(new_animal.clone()).await.unwrap();
        assert!(matches!(&*existing, CreateAnimalSuccess::Ok(a) if a.name == "Leo"));
        let request = server.last();
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(
            request.body_str(),
            r#"{"name":"Leo","species":"lion","birth_date":"2015-06-01","danger_level":4}"#
        );

        server.respond(
            Canned::json(201, json!({"id": ANIMAL_ID, "href": "/animals/x"}))
                .header("location", "/animals/x")
                .header("x-rate-limit-remaining", "3"),
        );
        let created = client
            .create_animal_form(new_animal)
            .x_api_version(stencil::chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
        assert!(matches!(&*created, CreateAnimalSuccess::Created(c) if c.href == "/animals/x"));
        assert_eq!(created.header("location"), Some("/animals/x"));
        let request = server.last();
        assert_eq!(
            request.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(request.header("x-api-version"), Some("2025-01-01"));
        assert_eq!(
            request.body_str(),
            "name=Leo&species=lion&birth_date=2015-06-01&danger_level=4"
        );
    }

    #[tokio::test]
    async fn code_range_and_default_variants() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        let id = uuid(ANIMAL_ID);
        let detail = json!({"id": ANIMAL_ID, "name": "Leo", "species": "lion", "birth_date": null, "vaccinated": true, "enclosure_code": "AB-123"});
        server.respond(Canned::json(200, detail));
        assert_eq!(
            client.get_animal(id).await.unwrap().enclosure_code,
            "AB-123"
        );
        assert_eq!(server.last().path, format!("/animals/{ANIMAL_ID}"));

        let error = json!({"code": 1, "message": "m"});
        for (status, body) in [(404, envelope(404)), (418, error.clone()), (503, error)] {
            server.respond(Canned::json(status, body));
            let variant = client
                .get_animal(id)
                .await
                .unwrap_err()
                .into_api()
                .unwrap()
                .into_inner();
            match (status, variant) {
                (404, GetAnimalError::NotFound(_))
                | (418, GetAnimalError::ClientError(_))
                | (503, GetAnimalError::Default(_)) => {}
                (status, other) => panic!("{status}: {other:?}"),
            }
        }
        server.take();
    }

    #[tokio::test]
    async fn bearer_and_header_api_key_together_and_no_content() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        client.set_bearer_auth_token("b");
        client.set_api_key_header("h");
        server.respond(Canned::empty(204));
        let deleted = client.delete_animal(uuid(ANIMAL_ID)).await.unwrap();
        assert_eq!(deleted.status(), 204);
        let request = server.last();
        assert_eq!(request.method, "DELETE");
        assert_eq!(request.header("authorization"), Some("Bearer b"));
        assert_eq!(request.header("x-api-key"), Some("h"));

        server.respond(Canned::json(404, json!({"code": 404, "message": "gone"})));
        let error = client.delete_animal(uuid(ANIMAL_ID)).await.unwrap_err();
        assert!(
            matches!(error.into_api().unwrap().into_inner(), kitchen_sink_31::client::DeleteAnimalError::NotFound(e) if e.message == "gone")
        );
        server.take();
    }

    #[tokio::test]
    async fn multipart_file_json_and_text_parts() {
        let server = MockServer::start().await;
        server
            .respond(Canned::json(201, json!({"photographer": "Ann"})).header("location", "/p/1"));
        let client = Client::new(server.url());
        let body = types::UploadPhotoBody {
            file: stencil::bytes::Bytes::from_static(b"png-bytes"),
            metadata: Some(types::PhotoMetadata {
                taken_at: None,
                photographer: Nullable::Value("Ann".into()),
                coordinates: Some((-33.9, 151.2, "Sydney".into())),
            }),
            caption: Some("Leo, asleep".into()),
        };
        let stored = client
            .upload_photo(uuid(ANIMAL_ID), body)
            .file_file_name("leo.png")
            .file_content_type("image/png")
            .await
            .unwrap();
        assert_eq!(stored.photographer, Nullable::Value("Ann".into()));
        let request = server.last();
        assert_eq!(request.path, format!("/animals/{ANIMAL_ID}/photos"));
        assert_eq!(
            multipart_body(&request),
            "--BOUNDARY\r\n\
             Content-Disposition: form-data; name=\"file\"; filename=\"leo.png\"\r\n\
             Content-Type: image/png\r\n\r\n\
             png-bytes\r\n\
             --BOUNDARY\r\n\
             Content-Disposition: form-data; name=\"metadata\"\r\n\
             Content-Type: application/json\r\n\r\n\
             {\"photographer\":\"Ann\",\"coordinates\":[-33.9,151.2,\"Sydney\"]}\r\n\
             --BOUNDARY\r\n\
             Content-Disposition: form-data; name=\"caption\"\r\n\r\n\
             Leo, asleep\r\n\
             --BOUNDARY--\r\n"
        );
    }

    #[tokio::test]
    async fn octet_stream_both_ways_and_basic_auth() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        client.set_basic_auth("keeper", "pw");
        server.respond(Canned::new(
            200,
            "application/octet-stream",
            vec![0, 1, 2, 255],
        ));
        let bytes = client.download_photo(uuid(ANIMAL_ID), 3).await.unwrap();
        assert_eq!(&bytes[..], &[0, 1, 2, 255]);
        let request = server.last();
        assert_eq!(request.path, format!("/animals/{ANIMAL_ID}/photos/3"));
        assert_eq!(request.header("authorization"), Some("Basic a2VlcGVyOnB3"));

        client.set_bearer_auth_token("b");
        server.respond(Canned::empty(204));
        client
            .replace_photo(uuid(ANIMAL_ID), 0, vec![9u8, 8, 7])
            .await
            .unwrap();
        let request = server.last();
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("PUT", format!("/animals/{ANIMAL_ID}/photos/0").as_str())
        );
        assert_eq!(
            request.header("content-type"),
            Some("application/octet-stream")
        );
        assert_eq!(&request.body[..], &[9, 8, 7]);
    }

    #[tokio::test]
    async fn text_body_and_text_response() {
        let server = MockServer::start().await;
        server.respond(Canned::new(
            200,
            "text/plain; charset=utf-8",
            "Feed at 08:00 ✓",
        ));
        let note = Client::new(server.url())
            .add_note("AB-123", "feed at 8 ✓")
            .await
            .unwrap();
        assert_eq!(note.as_str(), "Feed at 08:00 ✓");
        let request = server.last();
        assert_eq!(request.path, "/enclosures/AB-123/notes");
        assert_eq!(request.header("content-type"), Some("text/plain"));
        assert_eq!(request.body_str(), "feed at 8 ✓");
    }

    #[tokio::test]
    async fn api_key_in_query_or_cookie_or_nothing_with_cookie_and_header_parameters() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        let search = || {
            client
                .get_search("lions & tigers")
                .session_id("s1")
                .x_request_id(uuid(ANIMAL_ID))
                .x_fields(vec!["name".into(), "species".into()])
        };

        // Optional security (`{}`): nothing set, nothing sent.
        server.respond(Canned::json(200, json!({"data": []})));
        search().await.unwrap();
        let request = server.last();
        assert_eq!(request.query.as_deref(), Some("q=lions%20%26%20tigers"));
        assert_eq!(request.header("cookie"), Some("session_id=s1"));
        assert_eq!(request.header("x-request-id"), Some(ANIMAL_ID));
        assert_eq!(request.header("x-fields"), Some("name,species"));

        client.set_api_key_cookie("c/k");
        server.respond(Canned::json(200, json!({"data": []})));
        search().await.unwrap();
        let request = server.last();
        assert_eq!(request.query.as_deref(), Some("q=lions%20%26%20tigers"));
        assert_eq!(
            request.header("cookie"),
            Some("session_id=s1; zoo_session=c/k")
        );

        client.set_api_key_query("q key");
        server.respond(Canned::json(200, json!({"data": []})));
        search().await.unwrap();
        let request = server.last();
        assert_eq!(
            request.query.as_deref(),
            Some("q=lions%20%26%20tigers&api_key=q%20key"),
            "the first alternative"
        );
        assert_eq!(request.header("cookie"), Some("session_id=s1"));
    }

    #[tokio::test]
    async fn a_credential_parameter_is_sent_but_never_printed() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        let search = client
            .get_search("q")
            .session_id("s1")
            .x_access_token("tok-7f3a");
        let printed = format!("{search:?}");
        assert!(
            printed.contains("x_access_token: [redacted]")
                && printed.contains(r#"session_id: Some("s1")"#)
                && !printed.contains("tok-7f3a"),
            "{printed}"
        );
        server.respond(Canned::json(200, json!({"data": []})));
        search.await.unwrap();
        assert_eq!(server.last().header("x-access-token"), Some("tok-7f3a"));
    }

    #[tokio::test]
    async fn header_values_with_cr_lf_are_refused_before_sending() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        let result = client
            .get_search("q")
            .x_fields(vec!["name\r\nX-Evil: 1".into()])
            .await;
        assert!(
            matches!(result, Err(Error::InvalidRequest(ref m)) if m.contains("X-Fields")),
            "{result:?}"
        );
        assert!(server.take().is_empty(), "nothing was sent");
        // Cookie values are percent-encoded, so they cannot break the header either.
        server.respond(Canned::json(200, json!({"data": []})));
        client
            .get_search("q")
            .session_id("a\r\nb; c=d")
            .await
            .unwrap();
        assert_eq!(
            server.last().header("cookie"),
            Some("session_id=a%0D%0Ab%3B%20c=d")
        );
    }

    #[tokio::test]
    async fn no_path_parameter_value_can_change_the_path() {
        let server = MockServer::start().await;
        let client = Client::new(server.url());
        let habitat = json!({"habitat_type": "aviary", "height_m": 12.5});
        server.respond(Canned::json(200, habitat));
        let got = client.get_habitat("../admin?x=1#y").await.unwrap();
        assert!(matches!(*got, types::Habitat::Aviary(_)));
        assert_eq!(server.last().path, "/enclosures/..%2Fadmin%3Fx%3D1%23y");

        for value in ["..", ".", ""] {
            let result = client.get_habitat(value).await;
            assert!(
                matches!(result, Err(Error::InvalidRequest(_))),
                "{value:?}: {result:?}"
            );
        }
        assert!(server.take().is_empty());
    }

    #[tokio::test]
    async fn hostile_names_round_trip() {
        let server = MockServer::start().await;
        let hostile = json!({"type": "t", "self": "s", "match": 1, "2fa": true, "x-rate-limit": 5, "Ünïcode": "ü", "fooBar": "a", "foo_bar": "b", "choice": "+1"});
        server.respond(Canned::json(200, hostile.clone()));
        let echoed = Client::new(server.url())
            .echo_hostile(from_json(hostile.clone()))
            .await
            .unwrap();
        assert_eq!(echoed.type_, "t");
        assert_eq!(echoed.f_2fa, Some(true));
        assert_eq!(server.last().json(), hostile);
    }
}
