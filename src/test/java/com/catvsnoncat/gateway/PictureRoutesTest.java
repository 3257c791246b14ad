package com.catvsnoncat.gateway;

import static com.catvsnoncat.gateway.GatewayHarness.PICTURE;
import static com.catvsnoncat.gateway.GatewayHarness.prediction;
import static com.catvsnoncat.testing.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.classifier.ClassifierApi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** POST /api/classify and /api/explain: the three ways to send a picture, and the ways to get it wrong. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class PictureRoutesTest {
    static final int TEN_MIB = 10 * 1024 * 1024;

    private GatewayHarness gateway;

    @BeforeEach
    void start(Vertx vertx) {
        gateway = GatewayHarness.start(vertx)
                .reply(ClassifierApi.CLASSIFY, prediction())
                .reply(ClassifierApi.EXPLAIN, prediction().put("saliency", new byte[] {1, 2, 3})
                        .put("picture", new byte[] {4, 5}));
    }

    @Test
    void classifiesRawPictureBytesAndReportsTimings() {
        HttpResponse<Buffer> response = gateway.post("/api/classify").putHeader("Content-Type", "image/png")
                .sendBuffer(Buffer.buffer(PICTURE)).await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(response.bodyAsJsonObject()).isEqualTo(prediction());
        assertThat(response.getHeader("Server-Timing"))
                .isEqualTo("fetch;dur=1.500, decode;dur=2.250, infer;dur=0.500, total;dur=4.250");
        assertThat(gateway.lastMessage().getBinary(ClassifierApi.IMAGE)).isEqualTo(PICTURE);
    }

    @Test
    void classifiesOctetStreamLikeAPicture() {
        HttpResponse<Buffer> response = gateway.post("/api/classify")
                .putHeader("Content-Type", "application/octet-stream").sendBuffer(Buffer.buffer(PICTURE)).await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(gateway.lastMessage().getBinary(ClassifierApi.IMAGE)).isEqualTo(PICTURE);
    }

    @Test
    void classifiesByUrl() {
        HttpResponse<Buffer> response = gateway.post("/api/classify")
                .sendJsonObject(new JsonObject().put("url", "https://example.com/cat.jpg")).await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(gateway.lastMessage()).isEqualTo(new JsonObject().put("url", "https://example.com/cat.jpg"));
    }

    @Test
    void classifiesTheImageFieldOfAMultipartForm() {
        MultipartForm form = MultipartForm.create()
                .attribute("comment", "ignored")
                .binaryFileUpload("image", "cat.png", Buffer.buffer(PICTURE), "image/png");

        HttpResponse<Buffer> response = gateway.post("/api/classify").sendMultipartForm(form).await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(gateway.lastMessage().getBinary(ClassifierApi.IMAGE)).isEqualTo(PICTURE);
    }

    @Test
    void refusesAMultipartFormWithoutTheImageField() {
        MultipartForm form = MultipartForm.create()
                .binaryFileUpload("file", "cat.png", Buffer.buffer(PICTURE), "image/png");

        HttpResponse<Buffer> response = gateway.post("/api/classify").sendMultipartForm(form).await();

        assertError(response, 400, "no file field \"image\"");
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void refusesAMultipartFormWithoutItsClosingBoundaryAtTheEndOfTheBody(Vertx vertx) {
        String body = "--b0undary\r\nContent-Disposition: form-data; name=\"image\"; filename=\"c.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n" + "x".repeat(300);
        NetSocket socket = vertx.createNetClient().connect(gateway.port, "127.0.0.1").await();
        StringBuilder answer = new StringBuilder();
        socket.handler(data -> answer.append(data.toString()));
        socket.write("POST /api/classify HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b0undary"
                + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        long deadline = System.currentTimeMillis() + 10_000;
        while (answer.indexOf("}") < 0 && System.currentTimeMillis() < deadline) {
            vertx.timer(20).await();
        }

        // Closed here: an open connection holds the gateway's graceful stop for its drain time (20 s), which on a
        // loaded machine outlasted the 30 s the test extension gives Vert.x to close.
        socket.close().await();

        assertThat(answer.toString()).startsWith("HTTP/1.1 400").contains("ends without its closing boundary");
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void refusesJsonThatDoesNotParse() {
        HttpResponse<Buffer> response = gateway.post("/api/classify").putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{\"url\": ")).await();

        assertError(response, 400, "not a JSON object");
    }

    @Test
    void refusesJsonWithoutUrl() {
        HttpResponse<Buffer> response = gateway.post("/api/classify")
                .sendJsonObject(new JsonObject().put("link", "https://example.com/cat.jpg")).await();

        assertError(response, 400, "\"url\"");
    }

    @Test
    void refusesAnEmptyPicture() {
        HttpResponse<Buffer> response = gateway.post("/api/classify").putHeader("Content-Type", "image/jpeg")
                .sendBuffer(Buffer.buffer()).await();

        assertError(response, 400, "empty");
    }

    @Test
    void refusesUnsupportedContentTypeWith415() {
        HttpResponse<Buffer> response = gateway.post("/api/classify").putHeader("Content-Type", "text/plain")
                .sendBuffer(Buffer.buffer("a cat")).await();

        assertError(response, 415, "text/plain");
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void refusesABodyWithoutContentTypeWith415() {
        HttpResponse<Buffer> response = gateway.post("/api/explain").sendBuffer(Buffer.buffer(PICTURE)).await();

        assertError(response, 415, "Content-Type");
    }

    @Test
    void refusesTenMebibytesAndOneByteWith413() {
        HttpResponse<Buffer> response = gateway.post("/api/classify").putHeader("Content-Type", "image/jpeg")
                .sendBuffer(Buffer.buffer(new byte[TEN_MIB + 1])).await();

        assertError(response, 413, "larger than the limit of 10 MiB");
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void takesExactlyTenMebibytes() {
        HttpResponse<Buffer> response = gateway.post("/api/classify").putHeader("Content-Type", "image/jpeg")
                .sendBuffer(Buffer.buffer(new byte[TEN_MIB])).await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(gateway.lastMessage().getBinary(ClassifierApi.IMAGE)).hasSize(TEN_MIB);
    }

    @Test
    void refusesAnOversizedChunkedUploadWhileReadingIt(Vertx vertx) {
        HttpClient http = vertx.createHttpClient();
        JsonObject answer = http.request(new RequestOptions().setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1").setPort(gateway.port).setURI("/api/classify")
                        .putHeader("Content-Type", "image/jpeg"))
                .compose(request -> {
                    request.setChunked(true);
                    for (int i = 0; i <= 10; i++) {
                        request.write(Buffer.buffer(new byte[1024 * 1024]));
                    }
                    request.end();
                    return request.response();
                })
                .compose(response -> response.body().map(body -> new JsonObject()
                        .put("status", response.statusCode()).put("body", body.toJsonObject())))
                .await();

        assertThat(answer.getInteger("status")).isEqualTo(413);
        assertThat(answer.getJsonObject("body").getString("error")).contains("larger than");
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void explainsWithSaliencyAndPictureAsPngDataUrls() {
        HttpResponse<Buffer> response = gateway.post("/api/explain").putHeader("Content-Type", "image/png")
                .sendBuffer(Buffer.buffer(PICTURE)).await();

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getString("label")).isEqualTo("cat");
        assertThat(body.getString("saliency"))
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
        assertThat(body.getString("picture"))
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[] {4, 5}));
        assertThat(response.getHeader("Server-Timing")).startsWith("fetch;dur=");
    }
}
