//! Files under --root, and paths outside it refused.

use super::*;

#[test]
fn root_serves_files_and_refuses_paths_outside_it() {
    let outer = TempDir::new("root");
    let root = outer.0.join("site");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("index.html"), "<p>index</p>\n").unwrap();
    std::fs::write(root.join("style.css"), "p { color: red }\n").unwrap();
    std::fs::write(root.join("sub").join("data.json"), "{\"a\":1}\n").unwrap();
    std::fs::write(outer.0.join("secret.txt"), "SECRET\n").unwrap();
    let root_arg = root.to_str().expect("utf-8 temp path");
    for name in EXAMPLES {
        let srv = Server::start(name, &["--root", root_arg]);
        let get = |path: &str| {
            exchange(
                srv.addr,
                format!("GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").as_bytes(),
            )
        };
        for (path, ct, body) in [
            ("/", "text/html; charset=utf-8", "<p>index</p>\n"),
            ("/style.css", "text/css; charset=utf-8", "p { color: red }\n"),
            ("/sub/data.json", "application/json", "{\"a\":1}\n"),
            ("/sub/%64ata.json", "application/json", "{\"a\":1}\n"),
        ] {
            let r = get(path);
            assert_eq!(r.status, 200, "{name} {path}: {}", r.head);
            // Field names are case-insensitive (RFC 9110 §5.1): the tokio server writes the
            // application's in lower case, as the `http` crate holds them.
            assert!(
                r.head
                    .to_ascii_lowercase()
                    .contains(&format!("\r\ncontent-type: {ct}\r\n")),
                "{name} {path}: {}",
                r.head
            );
            assert!(
                r.head
                    .contains(&format!("\r\nContent-Length: {}\r\n", body.len())),
                "{name} {path}: {}",
                r.head
            );
            assert_eq!(r.body, body.as_bytes(), "{name} {path}");
        }
        assert_eq!(get("/missing.txt").status, 404, "{name}");
        for path in [
            "/../secret.txt",
            "/sub/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/sub/..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/%2fsecret.txt/..",
            "/%zz",
        ] {
            let r = get(path);
            assert!(
                matches!(r.status, 400 | 403 | 404),
                "{name} {path}: {} {}",
                r.status,
                r.head
            );
            assert!(
                !String::from_utf8_lossy(&r.body).contains("SECRET"),
                "{name} {path}"
            );
        }
        srv.stop_quiet();
    }
}
