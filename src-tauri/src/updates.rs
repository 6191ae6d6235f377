//! Updates out: where this laptop sends a communication rule's updates
//! (Settings → Where updates go), and sending one from the console after
//! the person saw exactly what goes where. The secret part of a target (a
//! webhook URL, a bot token, an access token) is kept only in the OS
//! keychain, under `update-target:<profile>:<rule>`; the kind and where (the
//! host, the chat or room) are local settings, so the plan and the team
//! folder never hold it. Each send is one HTTPS request (`ops::send` builds
//! it) and its outcome goes on the timeline.

use std::time::Duration;

use chrono::Utc;
use muster_core::clock::SystemClock;
use muster_core::incident::view::IncidentView;
use muster_core::incident::IncidentId;
use muster_core::ops::send::{self, Context, Outgoing, TargetKind, TargetSecret, UpdateTarget};
use muster_core::plan::Id;
use muster_core::Error;
use tauri::State;

use crate::commands::off_thread;
use crate::decisions::Keys;
use crate::error::IpcError;
use crate::keychain::{self, Sensitive, PROFILE_ID};
use crate::state::AppState;
use crate::zone::local_zone;

/// How long a target has to answer.
const PATIENCE: Duration = Duration::from_secs(15);

/// The keychain user holding `rule`'s target secret for `profile`.
fn user(profile: &str, rule: &Id) -> String {
    format!("update-target:{profile}:{rule}")
}

fn unavailable(message: String) -> IpcError {
    IpcError::from(Error::Unavailable(message))
}

/// This data folder's profile id, made on first use.
async fn profile(state: &State<'_, AppState>) -> Result<String, IpcError> {
    if let Some(id) = state.read(|store| store.setting(PROFILE_ID)).await? {
        return Ok(id);
    }
    let made = keychain::new_profile_id().map_err(unavailable)?;
    state
        .write(move |store| {
            // Another window may have made one meanwhile: that one stands.
            match store.setting(PROFILE_ID)? {
                Some(id) => Ok(id),
                None => {
                    store.set_setting(PROFILE_ID, Some(&made))?;
                    Ok(made)
                }
            }
        })
        .await
}

/// The targets set up on this laptop.
#[tauri::command]
pub async fn update_targets(state: State<'_, AppState>) -> Result<Vec<UpdateTarget>, IpcError> {
    state.read(|store| store.update_targets()).await
}

/// Sets where `rule`'s updates go (its secret into the keychain), or, with
/// no `kind`, stops sending them anywhere (the secret removed too). A target
/// that cannot be read is refused, changing nothing.
#[tauri::command]
pub async fn set_update_target(
    state: State<'_, AppState>,
    keys: State<'_, Keys>,
    rule: Id,
    kind: Option<TargetKind>,
    secret: Option<TargetSecret>,
) -> Result<Vec<UpdateTarget>, IpcError> {
    let known = rule.clone();
    state
        .read(move |store| {
            let plan = store.current()?;
            if plan.communications.iter().any(|r| r.id == known) {
                Ok(())
            } else {
                Err(Error::Refused(format!(
                    "the plan has no communication rule `{known}`"
                )))
            }
        })
        .await?;
    let shown = match (kind, &secret) {
        (Some(kind), Some(secret)) => Some((
            kind,
            send::describe(kind, secret).map_err(|e| IpcError::from(Error::Refused(e)))?,
        )),
        (Some(_), None) => {
            return Err(IpcError::from(Error::Refused(
                "say where: the address (and token, chat or room) of the target".to_owned(),
            )))
        }
        (None, _) => None,
    };
    let profile = profile(&state).await?;
    let name = user(&profile, &rule);
    let keys = keys.inner().clone();
    let stored = secret
        .filter(|_| kind.is_some())
        .map(|s| serde_json::to_string(&s).unwrap_or_default());
    off_thread(move || {
        let keychain = keys.open()?;
        keychain.set_secret(&name, stored.map(Sensitive::new).as_ref())
    })
    .await?
    .map_err(|e| unavailable(e.to_string()))?;
    state
        .write(move |store| {
            store.set_update_target(&rule, shown)?;
            store.update_targets()
        })
        .await
}

/// Sends `text` (an update just posted under `rule`) to the rule's target,
/// and records how it went on incident `id`'s timeline.
#[tauri::command]
pub async fn send_update(
    state: State<'_, AppState>,
    keys: State<'_, Keys>,
    id: String,
    rule: Id,
    text: String,
) -> Result<IncidentView, IpcError> {
    let which = rule.clone();
    let (target, audience) = state
        .read(move |store| {
            let target = store
                .update_targets()?
                .into_iter()
                .find(|t| t.rule == which)
                .ok_or_else(|| {
                    Error::Refused(format!(
                        "updates of `{which}` go nowhere from this laptop: say where in Settings → Where updates go"
                    ))
                })?;
            let plan = store.current()?;
            let audience = plan
                .communications
                .iter()
                .find(|r| r.id == which)
                .map(|r| r.audience.as_str().to_owned())
                .unwrap_or_default();
            Ok((target, audience))
        })
        .await?;
    let profile = profile(&state).await?;
    let name = user(&profile, &rule);
    let keys = keys.inner().clone();
    let incident = IncidentId(id);
    let txn = format!("{incident}-{}", Utc::now().timestamp_millis());
    let context = (incident.to_string(), rule.to_string(), audience, txn);
    let kind = target.kind;
    let (ok, detail) = off_thread(move || {
        let secret = match keys.open().and_then(|k| k.secret(&name)) {
            Ok(Some(secret)) => secret,
            Ok(None) => {
                return (
                    false,
                    "its address is not in this laptop's keychain: set it again in Settings"
                        .to_owned(),
                )
            }
            Err(e) => return (false, e.to_string()),
        };
        let Ok(secret) = serde_json::from_str::<TargetSecret>(secret.expose()) else {
            return (
                false,
                "its keychain entry cannot be read: set it again in Settings".to_owned(),
            );
        };
        let cx = Context {
            incident: &context.0,
            rule: &context.1,
            audience: &context.2,
            txn: &context.3,
        };
        match send::outgoing(kind, &secret, &text, &cx) {
            Ok(request) => deliver(&request),
            Err(why) => (false, why),
        }
    })
    .await?;
    let zone = local_zone();
    state
        .write(move |store| {
            store.record_update_sent(&incident, &target, ok, &detail, &SystemClock)?;
            store.incident_view(&incident, Utc::now(), zone)
        })
        .await
}

/// Sends one request; whether the target took it, and its answer for people
/// (never the URL: it holds the secret).
pub fn deliver(request: &Outgoing) -> (bool, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(PATIENCE))
        .http_status_as_error(false)
        .build()
        .into();
    let mut builder = match request.method {
        "PUT" => agent.put(&request.url),
        _ => agent.post(&request.url),
    }
    .header("Content-Type", "application/json");
    for (k, v) in &request.headers {
        builder = builder.header(k, v);
    }
    let sent = builder.send(request.body.as_bytes());
    match sent {
        Ok(response) => {
            let status = response.status();
            let ok = status.is_success();
            (
                ok,
                format!(
                    "HTTP {}{}",
                    status.as_u16(),
                    status
                        .canonical_reason()
                        .map(|r| format!(" {r}"))
                        .unwrap_or_default()
                ),
            )
        }
        // The error names the host at most; the path (with its token) is not said.
        Err(e) => (
            false,
            format!("not delivered: {}", scrub(&e.to_string(), &request.url)),
        ),
    }
}

/// `text` with the secret URL (and its path) taken out.
fn scrub(text: &str, url: &str) -> String {
    let mut out = text.replace(url, "<the target>");
    if let Some((_, rest)) = url.split_once("://") {
        if let Some((_, path)) = rest.split_once('/') {
            if !path.is_empty() {
                out = out.replace(path, "…");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
