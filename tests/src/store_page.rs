//! A store page of the test's own, on its own origin, served with the headers the test chooses
//! (a Content-Security-Policy, say), for what the demo store cannot show.

use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves `html` for every request, with `headers` (`Name: value` lines); stops when dropped.
pub struct StorePage {
    /// Where it listens.
    pub address: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl StorePage {
    /// Starts serving on a free port.
    pub async fn serve(html: String, headers: Vec<String>) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let mut head =
            String::from("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n");
        for header in headers {
            head.push_str(&header);
            head.push_str("\r\n");
        }
        let response = format!(
            "{head}Content-Length: {}\r\nConnection: close\r\n\r\n{html}",
            html.len()
        );
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let response = response.clone();
                tokio::spawn(async move {
                    let mut request = [0u8; 4096];
                    let _ = socket.read(&mut request).await;
                    let _ = socket.write_all(response.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Ok(StorePage { address, task })
    }

    /// The page's URL.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }
}

impl Drop for StorePage {
    fn drop(&mut self) {
        self.task.abort();
    }
}
