//! Virus scanning through clamd's INSTREAM protocol: `zINSTREAM\0`, the file in chunks each
//! led by its big-endian u32 length, a zero length, then one answer ending in NUL:
//! `stream: OK` or `stream: <signature> FOUND`.

use std::time::Duration;

use anyhow::{Context, bail};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// What clamd said of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing found.
    Clean,
    /// The signature found.
    Infected(String),
}

/// The most a scan may take, connecting included.
const SCAN_TIMEOUT: Duration = Duration::from_secs(30);
const CHUNK: usize = 64 * 1024;

/// Scans `bytes` with the clamd at `addr`.
pub async fn scan(addr: &str, bytes: &[u8]) -> anyhow::Result<Verdict> {
    tokio::time::timeout(SCAN_TIMEOUT, instream(addr, bytes))
        .await
        .context("clamd did not answer in time")?
}

async fn instream(addr: &str, bytes: &[u8]) -> anyhow::Result<Verdict> {
    let mut stream = TcpStream::connect(addr)
        .await
        .with_context(|| format!("connecting to clamd at {addr}"))?;
    stream.write_all(b"zINSTREAM\0").await?;
    for chunk in bytes.chunks(CHUNK) {
        let length = u32::try_from(chunk.len()).context("chunk length")?;
        stream.write_all(&length.to_be_bytes()).await?;
        stream.write_all(chunk).await?;
    }
    stream.write_all(&0_u32.to_be_bytes()).await?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .await
        .context("reading clamd's answer")?;
    parse_answer(&answer)
}

fn parse_answer(answer: &[u8]) -> anyhow::Result<Verdict> {
    let text = String::from_utf8_lossy(answer);
    let text = text.trim_end_matches(['\0', '\n']).trim();
    let result = text.strip_prefix("stream:").map(str::trim).unwrap_or(text);
    if result == "OK" {
        return Ok(Verdict::Clean);
    }
    if let Some(signature) = result.strip_suffix(" FOUND") {
        return Ok(Verdict::Infected(signature.trim().to_owned()));
    }
    bail!("clamd answered {text:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamd_answers_are_read() -> anyhow::Result<()> {
        assert_eq!(parse_answer(b"stream: OK\0")?, Verdict::Clean);
        assert_eq!(
            parse_answer(b"stream: Clientele.Test.EICAR.UNOFFICIAL FOUND\0")?,
            Verdict::Infected("Clientele.Test.EICAR.UNOFFICIAL".into())
        );
        assert!(parse_answer(b"INSTREAM size limit exceeded. ERROR\0").is_err());
        Ok(())
    }
}
