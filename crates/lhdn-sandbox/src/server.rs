//! Serving connections ourselves rather than with `axum::serve`: the accept-then-fail fault
//! must be able to close a connection mid-request, as a crash or a network loss would.

use std::sync::Arc;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::http::DropConnection;

pub(crate) fn spawn(
    listener: TcpListener,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        connections.spawn(connection(stream, router.clone()));
                    }
                    Err(error) => tracing::warn!(%error, "cannot accept a connection"),
                },
                _ = shutdown.changed() => break,
            }
            // Reap finished connections so the set does not grow.
            while connections.try_join_next().is_some() {}
        }
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    })
}

async fn connection(stream: TcpStream, router: Router) {
    let kill = Arc::new(Notify::new());
    let drop_handle = DropConnection(Arc::clone(&kill));
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(drop_handle.clone());
        router.clone().oneshot(request.map(axum::body::Body::new))
    });
    let serving =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        result = serving => {
            if let Err(error) = result {
                tracing::debug!(%error, "connection ended with an error");
            }
        }
        // Dropping the connection future closes the socket without an answer.
        () = kill.notified() => {}
    }
}
