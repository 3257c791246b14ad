package com.catvsnoncat.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.Base64;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Reading a request's fields: what is accepted, and that the picture's bytes are not copied to find them. */
class ClassifierRequestsTest {
    private static final int MEGABYTES = 4 << 20;
    /** Far below the 5.3 MB a base64 copy of the 4 MB picture takes, far above the records and the message. */
    private static final long COPY_FREE_BYTES = 256 << 10;

    @Test
    void findsAnUploadedPictureWithoutCopyingItsBytes() {
        JsonObject body = new JsonObject().put(ClassifierApi.IMAGE, new byte[MEGABYTES]);

        assertThat(allocatedBytes(() -> ClassifierRequests.picture(body))).isLessThan(COPY_FREE_BYTES);
        assertThat(ClassifierRequests.picture(body)).isInstanceOf(ClassifierRequests.InlinePicture.class);
    }

    @Test
    void findsABatchOfPixelsWithoutCopyingItsBytes() {
        int count = MEGABYTES / (64 * 64 * 3);
        JsonObject body = new JsonObject().put(ClassifierApi.PIXELS, new byte[count * 64 * 64 * 3])
                .put(ClassifierApi.COUNT, count).put(ClassifierApi.DATATYPE, ClassifierApi.UINT8);

        assertThat(allocatedBytes(() -> ClassifierRequests.batch(body, count))).isLessThan(COPY_FREE_BYTES);
        assertThat(ClassifierRequests.batch(body, count)).isInstanceOf(ClassifierRequests.PixelBatch.class);
    }

    @Test
    void takesAPictureAsBase64TextAsWell() {
        JsonObject body = new JsonObject().put(ClassifierApi.IMAGE, Base64.getEncoder().encodeToString(new byte[3]));

        assertThat(ClassifierRequests.picture(body)).isInstanceOf(ClassifierRequests.InlinePicture.class);
    }

    @Test
    void refusesAPictureGivenBothWaysOrNeither() {
        JsonObject both = new JsonObject().put(ClassifierApi.IMAGE, new byte[3]).put(ClassifierApi.URL, "http://x/");
        JsonObject neither = new JsonObject().putNull(ClassifierApi.IMAGE);

        assertThatThrownBy(() -> ClassifierRequests.picture(both)).hasMessageContaining("not both");
        assertThatThrownBy(() -> ClassifierRequests.picture(neither)).hasMessageContaining("not neither");
    }

    private static long allocatedBytes(Supplier<?> work) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long threadId = Thread.currentThread().getId();
        work.get(); // classes loaded and initialised outside the measured call
        long before = threads.getThreadAllocatedBytes(threadId);
        work.get();
        return threads.getThreadAllocatedBytes(threadId) - before;
    }
}
