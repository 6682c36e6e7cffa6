//! Receipts (acuses): the folio, when the server received the packet, and the sealed receipt
//! to download; queued packets say they will be sent when the network returns.

use super::send::Sent;
use super::{ctx, js};
use leptos::prelude::*;

/// Receipts for the packets of one filing.
#[component]
pub fn Receipts(items: Vec<(String, Sent)>) -> impl IntoView {
    let ctx = ctx();
    view! {
        <div class="receipts" data-testid="receipts">
            <h2>{move || ctx.t("Acuse de recibo", "Receipt")}</h2>
            <ul>
                {items.into_iter().map(|(label, sent)| match sent {
                    Sent::Receipt(json) => {
                        let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
                        let folio = v["folio"].as_str().unwrap_or_default().to_string();
                        let at = v["received_at"].as_str().unwrap_or_default().to_string();
                        let name = format!("acuse-{folio}.json");
                        view! {
                            <li class="receipt" data-testid="receipt">
                                <strong>{label}</strong>
                                <p>{move || ctx.t("Folio", "Folio")}": "<code data-testid="folio">{folio.clone()}</code></p>
                                <p>{move || ctx.t("Recibido", "Received")}": "{at.clone()}</p>
                                <button data-testid="receipt-download" on:click=move |_| {
                                    let _ = js::download(&name, "application/json", json.as_bytes());
                                }>{move || ctx.t("Descargar acuse", "Download receipt")}</button>
                            </li>
                        }.into_any()
                    }
                    Sent::Queued(id) => view! {
                        <li class="receipt queued" data-testid="queued" data-id=id>
                            <strong>{label}</strong>
                            <p>{move || ctx.t("Firmado y guardado en la cola del kiosco: se enviará en cuanto haya red.",
                                "Signed and saved in the kiosk queue: it will be sent as soon as there is a network.")}</p>
                        </li>
                    }.into_any(),
                }).collect_view()}
            </ul>
        </div>
    }
}
