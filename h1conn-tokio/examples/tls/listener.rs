//! A TLS listener for `h1conn_tokio::Builder::serve`: TCP accepts, and the TLS handshake of each
//! connection runs in that connection's own task (on its first read or write), so a slow
//! handshake never holds up accepting. Everything the server does (the connection limit,
//! graceful shutdown, timers) then applies to TLS connections as to plain ones, and a graceful
//! close sends TLS close_notify (the server shuts down the write side through `poll_shutdown`).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::server::TlsStream;
use tokio_rustls::{Accept, TlsAcceptor};

/// Accepts TCP connections and wraps them in TLS.
pub struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl TlsListener {
    /// A listener serving `config`'s certificate.
    pub fn new(tcp: TcpListener, config: Arc<rustls::ServerConfig>) -> Self {
        TlsListener {
            tcp,
            acceptor: TlsAcceptor::from(config),
        }
    }
}

impl h1conn_tokio::Listener for TlsListener {
    type Io = TlsIo;
    type Addr = SocketAddr;

    /// The TCP listener's options (on Linux, TCP_NOTSENT_LOWAT, which accepted sockets inherit).
    fn prepare(&mut self) {
        h1conn_tokio::Listener::prepare(&mut self.tcp);
    }

    async fn accept(&mut self) -> io::Result<(TlsIo, SocketAddr)> {
        let (sock, addr) = self.tcp.accept().await?;
        let _ = sock.set_nodelay(true);
        Ok((TlsIo::Handshaking(Box::new(self.acceptor.accept(sock))), addr))
    }
}

/// A TLS connection whose handshake completes on first use.
pub enum TlsIo {
    /// The handshake is under way.
    Handshaking(Box<Accept<TcpStream>>),
    /// Ready for application data.
    Ready(Box<TlsStream<TcpStream>>),
    /// The handshake failed: every call fails.
    Failed,
}

impl TlsIo {
    fn poll_handshake(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&mut TlsStream<TcpStream>>> {
        if let TlsIo::Handshaking(accept) = self {
            match ready!(Pin::new(&mut **accept).poll(cx)) {
                Ok(stream) => *self = TlsIo::Ready(Box::new(stream)),
                Err(e) => {
                    *self = TlsIo::Failed;
                    return Poll::Ready(Err(e));
                }
            }
        }
        match self {
            TlsIo::Ready(s) => Poll::Ready(Ok(s)),
            _ => Poll::Ready(Err(io::ErrorKind::NotConnected.into())),
        }
    }
}

impl AsyncRead for TlsIo {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let s = ready!(self.get_mut().poll_handshake(cx))?;
        Pin::new(s).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsIo {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let s = ready!(self.get_mut().poll_handshake(cx))?;
        Pin::new(s).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let s = ready!(self.get_mut().poll_handshake(cx))?;
        Pin::new(s).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            // Sends close_notify, then shuts down the TCP write side.
            TlsIo::Ready(s) => Pin::new(&mut **s).poll_shutdown(cx),
            // Closed before the handshake completed (the client was idle too long): there is no
            // session to close, only the TCP write side.
            TlsIo::Handshaking(accept) => match accept.get_mut() {
                Some(tcp) => Pin::new(tcp).poll_shutdown(cx),
                None => Poll::Ready(Ok(())),
            },
            TlsIo::Failed => Poll::Ready(Ok(())),
        }
    }
}

/// A server configuration from PEM files: a certificate chain and its private key.
pub fn server_config(cert_pem: &[u8], key_pem: &[u8]) -> io::Result<Arc<rustls::ServerConfig>> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(io::Error::other)?;
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(io::Error::other)?;
    let mut config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(io::Error::other)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
