//! One route per file.

pub mod bulk;
pub mod client;
pub mod client_list;
pub mod client_new;
pub mod login;
