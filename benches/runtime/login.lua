-- wrk script: POST /token with the Login JSON body (the same text as LOGIN_BODY in src/lib.rs).
wrk.method = "POST"
wrk.body = '{"username":"demo","password":"secret"}'
wrk.headers["Content-Type"] = "application/json"
