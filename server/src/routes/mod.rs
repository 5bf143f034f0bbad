//! The HTTP routes, one module each.

pub mod documents;
pub mod health;
pub mod page;
pub mod search;
