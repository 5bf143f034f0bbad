//! The HTTP routes, one module each.

pub mod assets;
pub mod complete;
pub mod documents;
pub mod health;
pub mod openapi;
pub mod opensearch;
pub mod original;
pub mod page;
pub mod search;
