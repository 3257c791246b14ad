package com.catvsnoncat.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every picture of the malformed corpus either decodes or is refused with an {@link ImageDecodingException}. */
class MalformedImagesDecodeTest {
    private final ImagePreprocessor preprocessor = new ImagePreprocessor();

    @Test
    void everyMalformedPictureDecodesOrIsRefusedWithAReason() {
        List<MalformedImages.Sample> corpus = MalformedImages.corpus(1);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (MalformedImages.Sample sample : corpus) {
            String outcome;
            try {
                assertThat(preprocessor.toInputVector(sample.bytes())).as(sample.name()).hasSize(64 * 64 * 3);
                outcome = "decoded";
            } catch (ImageDecodingException e) {
                assertThat(e.getMessage()).as(sample.name()).isNotBlank();
                outcome = e.kind().name();
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        System.out.printf("malformed pictures decoded directly: %d, outcomes: %s%n", corpus.size(), outcomes);
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(1000);
    }

    @Test
    void onePixelPicturesAndHugePalettesDecodeAndZeroSizedOrHugeOnesAreRefusedClearly() {
        Map<String, MalformedImages.Sample> byName = new TreeMap<>();
        MalformedImages.corpus(1).forEach(sample -> byName.put(sample.name(), sample));

        // An oversized palette is read rather than refused: either is a clear answer, a crash would not be.
        for (String readable : List.of("1x1 PNG", "1x1 JPEG", "1x1 GIF", "PNG with a 1000-entry palette")) {
            assertThat(preprocessor.toInputVector(byName.get(readable).bytes())).as(readable).hasSize(64 * 64 * 3);
        }
        assertRefused(byName.get("PNG claiming 0x0").bytes(), "damaged");
        assertRefused(byName.get("JPEG claiming 0x0").bytes(), "impossible size of 0x0");
        assertRefused(byName.get("PNG claiming 100000x100000").bytes(), "above the limit");
        assertRefused(byName.get("all-zero grey PNG 10000x10000").bytes(), "above the limit");
    }

    private void assertRefused(byte[] bytes, String reason) {
        try {
            preprocessor.toInputVector(bytes);
        } catch (ImageDecodingException e) {
            assertThat(e).hasMessageContaining(reason);
            return;
        }
        throw new AssertionError("expected a refusal saying \"" + reason + "\"");
    }
}
