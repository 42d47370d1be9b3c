//! One route per file.

pub mod client_detail;
pub mod client_list;
pub mod client_new;
pub mod login;
