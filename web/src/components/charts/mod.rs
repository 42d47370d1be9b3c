//! Charts drawn as SVG by our own components: no chart library, nothing loaded from
//! outside. Each chart names itself and carries its values in words for screen readers, and
//! prints its values beside its marks so colour is never the only carrier.

mod bars;
mod line;
mod pie;

pub use bars::BarChart;
pub use line::{TrendChart, count_ticks};
pub use pie::PieChart;
