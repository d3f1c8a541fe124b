//! Fetching a file a record on chain points at (a pool's proofs file): `https://` URIs directly,
//! `ipfs://` and `ar://` through a gateway of the user's choosing. What is fetched is checked by
//! the caller against what the chain commits to, so a gateway can withhold a file but not alter
//! it unnoticed.

use http_body_util::{BodyExt, Empty, Limited};
use hyper::{body::Bytes, header, Request, StatusCode, Uri};
use hyper_rustls::HttpsConnectorBuilder;
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use std::time::Duration;

/// The IPFS gateway used unless the user names one.
pub const DEFAULT_IPFS_GATEWAY: &str = "https://ipfs.io";
/// The Arweave gateway used unless the user names one.
pub const DEFAULT_ARWEAVE_GATEWAY: &str = "https://arweave.net";

/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 5;
/// How long a fetch may take in all.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Where `ipfs://` and `ar://` URIs are fetched from (`http://` is allowed here, for a gateway
/// of one's own such as an IPFS daemon's on `http://127.0.0.1:8080`).
#[derive(Clone, Debug)]
pub struct Gateways {
	pub ipfs: String,
	pub arweave: String,
}

impl Gateways {
	/// The gateways given, else those of `$PROV_IPFS_GATEWAY` and `$PROV_ARWEAVE_GATEWAY`, else
	/// the public ones.
	pub fn chosen(ipfs: Option<String>, arweave: Option<String>) -> Self {
		let pick = |given: Option<String>, variable: &str, default: &str| {
			given.or_else(|| std::env::var(variable).ok()).unwrap_or_else(|| default.to_owned())
		};
		Gateways {
			ipfs: pick(ipfs, "PROV_IPFS_GATEWAY", DEFAULT_IPFS_GATEWAY),
			arweave: pick(arweave, "PROV_ARWEAVE_GATEWAY", DEFAULT_ARWEAVE_GATEWAY),
		}
	}
}

/// The URL `uri` is fetched from, or why `prov` cannot fetch it.
pub fn url_of(uri: &str, gateways: &Gateways) -> Result<String, String> {
	let join = |gateway: &str, path: &str| format!("{}/{path}", gateway.trim_end_matches('/'));
	if uri.starts_with("https://") {
		Ok(uri.to_owned())
	} else if let Some(path) = uri.strip_prefix("ipfs://") {
		Ok(join(&gateways.ipfs, &format!("ipfs/{path}")))
	} else if let Some(path) = uri.strip_prefix("ar://") {
		Ok(join(&gateways.arweave, path))
	} else {
		Err(format!("prov fetches https://, ipfs:// and ar:// URIs; download {uri} yourself"))
	}
}

/// The body of `url` (at most `max_bytes`), following redirects.
pub async fn fetch(url: &str, max_bytes: usize) -> Result<Vec<u8>, String> {
	tokio::time::timeout(TIMEOUT, fetch_following(url, max_bytes))
		.await
		.map_err(|_| format!("{url}: no answer within {} s", TIMEOUT.as_secs()))?
}

async fn fetch_following(url: &str, max_bytes: usize) -> Result<Vec<u8>, String> {
	let connector = HttpsConnectorBuilder::new()
		.with_provider_and_native_roots(rustls::crypto::ring::default_provider())
		.map_err(|e| format!("no TLS root certificates: {e}"))?
		.https_or_http()
		.enable_http1()
		.enable_http2()
		.build();
	let client = Client::builder(TokioExecutor::new()).build::<_, Empty<Bytes>>(connector);
	let mut uri: Uri = url.parse().map_err(|e| format!("{url}: {e}"))?;
	for _ in 0..=MAX_REDIRECTS {
		let request = Request::get(uri.clone())
			.header(header::USER_AGENT, concat!("prov/", env!("CARGO_PKG_VERSION")))
			.body(Empty::new())
			.map_err(|e| format!("{uri}: {e}"))?;
		let response = client.request(request).await.map_err(|e| format!("{uri}: {e}"))?;
		let status = response.status();
		if status.is_redirection() {
			let location = response
				.headers()
				.get(header::LOCATION)
				.and_then(|value| value.to_str().ok())
				.ok_or_else(|| format!("{uri}: {status} without a location"))?;
			uri = redirected(&uri, location)?;
			continue;
		}
		if status != StatusCode::OK {
			return Err(format!("{uri}: {status}"));
		}
		let body = Limited::new(response.into_body(), max_bytes)
			.collect()
			.await
			.map_err(|e| format!("{uri}: {e} (at most {max_bytes} bytes are read)"))?;
		return Ok(body.to_bytes().to_vec());
	}
	Err(format!("{url}: more than {MAX_REDIRECTS} redirects"))
}

/// Where a redirect from `from` to `location` (absolute, or a path on the same host) leads.
fn redirected(from: &Uri, location: &str) -> Result<Uri, String> {
	let to: Uri = location.parse().map_err(|e| format!("{from}: redirect to {location}: {e}"))?;
	if to.scheme().is_some() {
		return Ok(to);
	}
	let mut parts = from.clone().into_parts();
	parts.path_and_query = to.path_and_query().cloned();
	Uri::from_parts(parts).map_err(|e| format!("{from}: redirect to {location}: {e}"))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn gateways() -> Gateways {
		Gateways { ipfs: "http://127.0.0.1:8080/".into(), arweave: DEFAULT_ARWEAVE_GATEWAY.into() }
	}

	#[test]
	fn uris_map_to_the_gateways_or_are_refused() {
		let gateways = gateways();
		assert_eq!(
			url_of("https://lab.example/pool.json", &gateways).unwrap(),
			"https://lab.example/pool.json"
		);
		assert_eq!(
			url_of("ipfs://bafy/pool.json", &gateways).unwrap(),
			"http://127.0.0.1:8080/ipfs/bafy/pool.json"
		);
		assert_eq!(url_of("ar://tx-id", &gateways).unwrap(), "https://arweave.net/tx-id");
		for refused in ["s3://bucket/pool.json", "hf://lab/pool", "http://lab.example/pool.json"] {
			assert!(url_of(refused, &gateways).unwrap_err().contains("download"));
		}
	}

	#[test]
	fn relative_redirects_stay_on_the_host() {
		let from: Uri = "https://ipfs.io/ipfs/bafy".parse().unwrap();
		assert_eq!(redirected(&from, "/ipfs/bafy/").unwrap(), "https://ipfs.io/ipfs/bafy/");
		assert_eq!(
			redirected(&from, "https://bafy.ipfs.dweb.link/").unwrap(),
			"https://bafy.ipfs.dweb.link/"
		);
	}
}
