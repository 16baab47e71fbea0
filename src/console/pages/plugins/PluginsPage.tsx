import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { PlatformPlugins } from "./PlatformPlugins";
import { PluginConfigForm } from "./PluginConfigForm";

/** The organization's plugins (enable, configure) and, for platform administrators, installation. */
export default function PluginsPage() {
  const { t } = useTranslation();
  const plugins = useQuery({
    queryKey: ["plugins", "org"],
    queryFn: () => unwrap(api.GET("/v1/plugins")),
    retry: false,
  });
  return (
    <>
      <h1>{t("plugins.title")}</h1>
      <p className="muted">{t("plugins.intro")}</p>
      <ErrorNotice error={plugins.error} />
      {plugins.data?.data.length === 0 ? <p>{t("plugins.empty")}</p> : null}
      {plugins.data?.data.map((p) => (
        <section key={`${p.id}@${p.version}`} className="card" aria-label={p.name}>
          <h2>
            {p.name} <span className="badge">{p.kind}</span>
          </h2>
          <p className="muted">
            {p.description} <code className="small">{`${p.id} ${p.version}`}</code>
          </p>
          <PluginConfigForm plugin={p} />
        </section>
      ))}
      <PlatformPlugins />
    </>
  );
}
