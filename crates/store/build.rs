// `sqlx::migrate!` embeds the migration files at compile time; without this, a new file in
// `migrations/` takes effect only when the crate happens to be rebuilt for another reason.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
