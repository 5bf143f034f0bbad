//! kho-core: what the indexer and the server share.
//!
//! - [`analysis`]: Vietnamese normalization, tokenization and folding, and the analyzers' registration;
//! - [`schema`]: the index's fields;
//! - [`directory`]: the directory a searching process reads an index through;
//! - [`index`]: the one place an index is opened or created (analyzers registered first);
//! - [`legal`]: legal documents' numbers and issuers as keys;
//! - [`query`]: the user's query language, parsed and turned into a tantivy query;
//! - [`search`]: search requests and responses, and [`search::KhoSearcher`];
//! - [`synonyms`]: the abbreviation and synonym dictionary.

pub mod analysis;
pub mod directory;
pub mod facets;
pub mod fxhash;
pub mod index;
pub mod legal;
pub mod metadata;
pub mod query;
pub mod schema;
pub mod search;
pub mod synonyms;

pub use index::{open_index, open_or_create_index, IndexError};
pub use schema::{KhoSchema, Kind};
