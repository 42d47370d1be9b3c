//! The app and the server accept exactly the same client input: for generated profiles and
//! contacts (valid, nearly valid, over-long, blank, any Unicode, NUL), the fields the create
//! form's checks flag are the fields `createClient` refuses, and what the form lets
//! through the server creates.

use clientele::auth::Role;
use clientele_core::{ClientProfile, ContactFields, FieldErrors, NewContact, ProfileFields};
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, RngAlgorithm, TestRng, TestRunner},
};
use sqlx::PgPool;

use crate::helpers::{ContactInput, CreateClientInput, TestApp};

/// Generated cases; each is one `createClient` call.
const CASES: u32 = 300;

fn free_text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        1 => Just("   ".to_owned()),
        12 => "[A-Za-z][A-Za-z .'&-]{0,30}",
        2 => "\\PC{0,40}",
        1 => ".{0,12}\u{0}.{0,4}",
        1 => "[a-z]{95,105}",
        1 => "[a-z]{195,205}",
    ]
}

fn email() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(String::new()),
        8 => "[a-z0-9._+-]{1,12}@[a-z0-9-]{1,10}\\.[a-z]{2,4}",
        2 => " [A-Z][a-z]{1,6}@[A-Za-z]{2,8}\\.[A-Za-z]{2,3} ",
        1 => "[a-z@. ()]{0,20}",
        1 => "\\PC{0,20}",
        1 => Just("ann(at)acme.com".to_owned()),
    ]
}

fn phone() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just(String::new()),
        3 => "\\+?[0-9 ().-]{5,22}",
        3 => "[0-9]{5,17}( ?(ext|x|Ext\\.) ?[0-9]{0,7})?",
        1 => Just("555-1234 ext".to_owned()),
        2 => Just("+1 (555) 010-9999 x12".to_owned()),
        1 => "\\PC{0,20}",
    ]
}

fn website() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(String::new()),
        6 => "(https?://)?(www\\.)?[a-z0-9-]{1,12}\\.[a-z]{2,5}(/[a-z]{0,5})?",
        1 => "(ftp|mailto|https?)(://|:)[a-z.]{0,12}",
        1 => "[a-z:/. ]{0,20}",
        1 => "\\PC{0,25}",
    ]
}

/// A contact row as typed: name, title, email, phone, mobile.
type Row = (String, String, String, String, String);

fn row() -> impl Strategy<Value = Row> {
    (free_text(), free_text(), email(), phone(), phone())
}

/// A create form as typed: name, industry, website, city, postal code, contact rows and
/// which row is primary.
#[derive(Debug, Clone)]
struct Form {
    name: String,
    industry: String,
    website: String,
    city: String,
    postal_code: String,
    rows: Vec<Row>,
    primary: usize,
}

fn form() -> impl Strategy<Value = Form> {
    (
        free_text(),
        free_text(),
        website(),
        free_text(),
        "[A-Z0-9 -]{0,24}",
        prop::collection::vec(row(), 0..4),
        0_usize..4,
    )
        .prop_map(
            |(name, industry, website, city, postal_code, rows, primary)| Form {
                name,
                industry,
                website,
                city,
                postal_code,
                primary: primary.min(rows.len().saturating_sub(1)),
                rows,
            },
        )
}

/// What the create form flags before it sends: its basic-info step, then its contacts
/// step, each on the text as typed (the calls `ProfileDraft::problems` and the contacts
/// step of `pages/client_new.rs` make).
fn app_verdict(form: &Form) -> Vec<String> {
    let profile = ClientProfile::parse(ProfileFields {
        name: &form.name,
        industry: Some(&form.industry),
        website: Some(&form.website),
        address: Some(""),
        city: Some(&form.city),
        state: Some(""),
        country: Some(""),
        postal_code: Some(&form.postal_code),
    });
    let mut contacts = FieldErrors::new();
    NewContact::check_all(
        form.rows
            .iter()
            .map(|(full_name, title, email, phone, mobile)| ContactFields {
                full_name,
                title: Some(title),
                email: Some(email),
                phone: Some(phone),
                mobile: Some(mobile),
                is_primary: false,
            }),
        &mut contacts,
    );
    let mut fields: Vec<String> = profile
        .err()
        .map(|e| e.into_map().into_keys().collect())
        .unwrap_or_default();
    fields.extend(contacts.into_map().into_keys());
    fields.sort();
    fields
}

/// A field as the app sends it: trimmed, and left out when blank (`components::filled`).
fn filled(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// The fields of a form whose text holds a NUL character, as the server names them.
fn nul_fields(form: &Form) -> Vec<String> {
    let mut fields = Vec::new();
    for (name, text) in [
        ("name", &form.name),
        ("industry", &form.industry),
        ("website", &form.website),
        ("city", &form.city),
        ("postalCode", &form.postal_code),
    ] {
        if text.contains('\0') {
            fields.push(name.to_owned());
        }
    }
    for (i, (full_name, title, email, phone, mobile)) in form.rows.iter().enumerate() {
        for (name, text) in [
            ("fullName", full_name),
            ("title", title),
            ("email", email),
            ("phone", phone),
            ("mobile", mobile),
        ] {
            if text.contains('\0') {
                fields.push(format!("contacts[{i}].{name}"));
            }
        }
    }
    fields.sort();
    fields
}

/// What `createClient` refuses (empty when it creates the client).
async fn server_verdict(app: &TestApp, form: &Form) -> Vec<String> {
    let input = CreateClientInput {
        name: form.name.trim().to_owned(),
        industry: filled(&form.industry),
        website: filled(&form.website),
        city: filled(&form.city),
        postal_code: filled(&form.postal_code),
        contacts: form
            .rows
            .iter()
            .enumerate()
            .map(
                |(i, (full_name, title, email, phone, mobile))| ContactInput {
                    full_name: full_name.trim().to_owned(),
                    title: filled(title),
                    email: filled(email),
                    phone: filled(phone),
                    mobile: filled(mobile),
                    is_primary: i == form.primary,
                },
            )
            .collect(),
        confirm_not_duplicate: true,
        ..CreateClientInput::default()
    };
    match app.create_client(Role::Manager, input).await {
        Ok(_) => Vec::new(),
        Err(failure) => {
            assert_eq!(
                failure.code.as_deref(),
                Some("VALIDATION"),
                "the server refused {form:#?} with {failure:#?}"
            );
            failure.fields()
        }
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_app_and_the_server_accept_exactly_the_same_client_input(pool: PgPool) {
    let app = TestApp::new(pool).await;
    // A fixed seed: the same cases on every run, so a failure reproduces.
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: CASES,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let strategy = form();
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..CASES {
        let form = strategy
            .new_tree(&mut runner)
            .expect("a generated form")
            .current();
        let app_says = app_verdict(&form);
        let server_says = server_verdict(&app, &form).await;
        let with_nul = nul_fields(&form);
        if with_nul.is_empty() {
            assert_eq!(
                app_says, server_says,
                "the app and the server disagree about {form:#?}"
            );
        } else {
            // The server refuses NUL characters before it looks at anything else, naming
            // only those fields; the app flags them too (and whatever else is wrong).
            assert_eq!(server_says, with_nul, "NUL fields of {form:#?}");
            assert!(
                with_nul.iter().all(|f| app_says.contains(f)),
                "the app lets a NUL through in {form:#?}: {app_says:?}"
            );
        }
        if server_says.is_empty() {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    // Both outcomes must be well represented, or the property says little.
    assert!(
        accepted >= CASES / 10 && refused >= CASES / 10,
        "{accepted} accepted, {refused} refused"
    );
}

#[test]
fn a_phone_with_an_empty_extension_is_refused_by_the_app_as_by_the_server() {
    let mut errors = FieldErrors::new();
    NewContact::check_all(
        [ContactFields {
            full_name: "Ann",
            phone: Some("555-1234 ext"),
            ..ContactFields::default()
        }],
        &mut errors,
    );
    assert_eq!(errors.fields().collect::<Vec<_>>(), ["contacts[0].phone"]);
}
