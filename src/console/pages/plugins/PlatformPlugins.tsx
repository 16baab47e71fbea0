import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, problemFrom, rawFetch, type Schemas, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatDateTime } from "../../i18n/format";

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The tarball is posted as it is, with its sha256 computed here, so the server checks what it got. */
async function installTarball(file: File): Promise<Schemas["InstalledPluginVersion"]> {
  const bytes = await file.arrayBuffer();
  const res = await rawFetch(`/v1/platform/plugins?sha256=${await sha256Hex(bytes)}`, {
    method: "POST",
    headers: { "content-type": "application/gzip" },
    body: bytes,
  });
  if (!res.ok) throw await problemFrom(res);
  return (await res.json()) as Schemas["InstalledPluginVersion"];
}

/**
 * Platform administrators' part of the page: install from a tarball, upgrade, roll back. It is shown
 * only when the platform list answers, so nobody is offered what the API would refuse.
 */
export function PlatformPlugins() {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  // The latest upgrade or rollback, whichever came last, is what the status line reports.
  const [switched, setSwitched] = useState<Schemas["InstalledPlugin"]["id"] | null>(null);
  const [switchedTo, setSwitchedTo] = useState("");
  const installed = useQuery({
    queryKey: ["plugins", "platform"],
    queryFn: () => unwrap(api.GET("/v1/platform/plugins")),
    retry: false,
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ["plugins"] });
  const install = useMutation({ mutationFn: installTarball, onSuccess: refresh });
  const onSwitch = (r: { id: string; active_version: string }) => {
    setSwitched(r.id);
    setSwitchedTo(r.active_version);
    return refresh();
  };
  const upgrade = useMutation({
    mutationFn: (pluginId: string) =>
      unwrap(api.POST("/v1/platform/plugins/{id}/upgrade", { params: { path: { id: pluginId } }, body: {} })),
    onSuccess: onSwitch,
  });
  const rollback = useMutation({
    mutationFn: (pluginId: string) =>
      unwrap(api.POST("/v1/platform/plugins/{id}/rollback", { params: { path: { id: pluginId } } })),
    onSuccess: onSwitch,
  });
  if (!installed.isSuccess) return null;

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("plugins.platform_title")}</h2>
      <p className="muted">{t("plugins.platform_intro")}</p>
      <form
        className="grid-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (file) install.mutate(file);
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-tgz`}>{t("plugins.tarball")}</label>
          <input
            id={`${id}-tgz`}
            type="file"
            accept=".tgz,application/gzip"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <div className="row-actions">
          <button type="submit" className="primary" disabled={!file || install.isPending}>
            {t("plugins.install")}
          </button>
        </div>
      </form>
      <ErrorNotice error={install.error ?? upgrade.error ?? rollback.error} />
      {install.data ? (
        <p role="status">{t("plugins.installed", { id: install.data.id, version: install.data.version })}</p>
      ) : null}
      {switched ? <p role="status">{t("plugins.switched", { id: switched, version: switchedTo })}</p> : null}
      <table>
        <caption className="sr-only">{t("plugins.platform_title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("plugins.plugin")}</th>
            <th scope="col">{t("plugins.active_version")}</th>
            <th scope="col">{t("plugins.versions")}</th>
            <th scope="col">{t("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {installed.data.data.map((p) => (
            <tr key={p.id}>
              <td>
                {p.name} <code className="small">{p.id}</code>
              </td>
              <td>{p.active_version}</td>
              <td className="small">
                {p.versions.map((v) => `${v.version} (${formatDateTime(v.installed_at)})`).join(", ")}
              </td>
              <td className="row-actions">
                <button
                  type="button"
                  onClick={() => upgrade.mutate(p.id)}
                  aria-label={t("plugins.upgrade_named", { name: p.name })}
                >
                  {t("plugins.upgrade")}
                </button>
                <button
                  type="button"
                  disabled={!p.previous_version}
                  onClick={() => rollback.mutate(p.id)}
                  aria-label={t("plugins.rollback_named", { name: p.name })}
                >
                  {t("plugins.rollback")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
