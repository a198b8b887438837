package dev.agentfactory.apidocs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentfactory.web.NotFoundException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * {@code GET /openapi.json}, and {@code GET /docs}: the document rendered by Swagger UI, whose few
 * files are served from the webjar inside the jar (nothing is fetched from the internet).
 */
public final class ApiDocsController {
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    /** The only files of the webjar served, and their types. */
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui-bundle.js", "application/javascript; charset=utf-8",
            "swagger-ui.css", "text/css; charset=utf-8",
            "favicon-32x32.png", "image/png");
    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>Agent Factory API</title>
              <link rel="stylesheet" href="/docs/swagger-ui.css">
              <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="/docs/swagger-ui-bundle.js"></script>
              <script>
                window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", persistAuthorization: true});
              </script>
            </body>
            </html>
            """;

    private final Supplier<List<OpenApiDocument.Route>> routes;
    private volatile ObjectNode document;

    /** @param routes the router's routes, read when the document is first asked for (all registered by then) */
    public ApiDocsController(Supplier<List<OpenApiDocument.Route>> routes) {
        this.routes = routes;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/openapi.json", ctx -> ctx.json(document()));
        config.routes.get("/docs", ctx -> ctx.html(PAGE));
        config.routes.get("/docs/{asset}", this::asset);
    }

    private ObjectNode document() {
        ObjectNode built = document;
        if (built == null) {
            built = OpenApiDocument.build(routes.get());
            document = built;
        }
        return built;
    }

    private void asset(Context ctx) {
        String name = ctx.pathParam("asset");
        String type = ASSETS.get(name);
        if (type == null) {
            throw new NotFoundException("docs asset " + name);
        }
        InputStream in = ApiDocsController.class.getClassLoader().getResourceAsStream(WEBJAR + version() + "/" + name);
        if (in == null) {
            throw new IllegalStateException("the swagger-ui webjar is missing from the jar: " + name);
        }
        ctx.header("Cache-Control", "public, max-age=86400").contentType(type).result(in);
    }

    private static String version() {
        try (InputStream in = ApiDocsController.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is missing from the jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
