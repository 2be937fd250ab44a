//! docs/probe.md shows the check table generated from `h1probe::cases::CASES` and
//! `h1probe::state::DYNS`, byte for byte. Run with `H1CONN_BLESS=1` to rewrite it.

use h1probe::docs::{check_table, BEGIN, END};

#[test]
fn probe_md_check_table_is_generated_from_the_tables() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/probe.md");
    let doc = std::fs::read_to_string(path).expect("docs/probe.md exists");
    let want = check_table();
    if doc.contains(&want) {
        return;
    }
    if std::env::var_os("H1CONN_BLESS").is_some() {
        let start = doc.find(BEGIN).expect("docs/probe.md has the BEGIN marker");
        let end = doc.find(END).expect("docs/probe.md has the END marker") + END.len() + 1;
        std::fs::write(path, [&doc[..start], &want, &doc[end.min(doc.len())..]].concat()).unwrap();
        return;
    }
    panic!("docs/probe.md does not show the generated check table (H1CONN_BLESS=1 rewrites it)");
}
