//! Whether a name says it holds a secret ([`names`]: `DB_PASSWORD`, `apiKey`), and whether a
//! value is only a stand-in for one ([`values`]: `changeme`, `${TOKEN}`, `<your-key>`).

mod names;
mod values;

pub use names::*;
pub use values::*;
