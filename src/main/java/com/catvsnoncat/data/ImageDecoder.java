package com.catvsnoncat.data;

import com.catvsnoncat.data.ImageDecodingException.Kind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Image bytes to an upright, opaque TYPE_INT_RGB picture (see {@link RgbConversion}).
 *
 * <p>The format is recognised from the bytes alone (JPEG including progressive and CMYK, PNG, GIF first frame,
 * BMP, WebP, TIFF first page); file names and declared content types are never consulted. HEIC and AVIF, which
 * phones take, are recognised only to say so and suggest converting. The size is read from the header and
 * checked against a pixel limit before any pixel is decoded, so a small file announcing a huge picture cannot
 * exhaust memory. Each side is bounded as well as the area: a picture of 39,000,000 x 1 pixels is under any sensible
 * pixel limit, yet a PNG reader needs whole rows in memory (each row is filtered against the one before it, so no
 * reader can skip one), and a 1 x 40,000,000 one is forty million rows to inflate. Every failure is an {@link ImageDecodingException}. Instances are immutable and thread-safe.
 */
public final class ImageDecoder {
    /** More than the usual 12-24 megapixel photo; below imgproxy's 50 and Pillow's 89 megapixel limits. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    /** Beyond the widest camera panoramas in common use, WebP's own limit (16,383) and a 128 KiB row at most. */
    public static final int DEFAULT_MAX_SIDE = 16_384;

    private static final Set<String> FORMATS = Set.of("jpeg", "png", "gif", "bmp", "webp", "tiff");
    private static final String ACCEPTED = "JPEG, PNG, GIF, BMP, WebP or TIFF";
    private static final String EXPECTED = "expected " + ACCEPTED;

    private final long maxPixels;
    private final int maxSide;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE);
    }

    /**
     * @param maxPixels the largest width x height accepted
     * @param maxSide   the largest width and the largest height accepted
     */
    public ImageDecoder(long maxPixels, int maxSide) {
        if (maxPixels <= 0 || maxSide <= 0) {
            throw new IllegalArgumentException("maxPixels and maxSide must be positive, got " + maxPixels + " and "
                    + maxSide);
        }
        this.maxPixels = maxPixels;
        this.maxSide = maxSide;
    }

    /** The whole picture at full resolution. */
    public BufferedImage decode(byte[] bytes) {
        return decode(bytes, 0, 0);
    }

    /**
     * The picture, decoded at reduced resolution when it is much larger than the size it will be resized to:
     * each side keeps at least twice the target (or its full size if smaller), so an area-average resize of the
     * result still smooths away detail finer than a target pixel. Skipping pixels while decoding is by far the
     * cheapest part of shrinking a large photo. A baseline JPEG at least 8 times the target on each side comes
     * out at 1/8 of its size instead, each pixel the exact average of an 8x8 block (nothing to smooth away).
     *
     * @param targetWidth  width the caller will resize to, as seen upright; 0 to decode at full resolution
     * @param targetHeight height the caller will resize to, as seen upright; 0 to decode at full resolution
     */
    public BufferedImage decode(byte[] bytes, int targetWidth, int targetHeight) {
        if (targetWidth < 0 || targetHeight < 0) {
            throw new IllegalArgumentException("target size must not be negative: " + targetWidth + "x" + targetHeight);
        }
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodingException(Kind.EMPTY, "no image data (the body or file is empty)");
        }
        HeifBrand.of(bytes).ifPresent(heif -> {
            throw new ImageDecodingException(Kind.UNSUPPORTED_FORMAT, heif + " pictures are not supported: convert "
                    + "the picture to JPEG or PNG first (phones can also take JPEG: on an iPhone, Settings > Camera > "
                    + "Formats > Most Compatible); accepted formats: " + ACCEPTED);
        });
        BufferedImage reduced = reducedJpeg(bytes, targetWidth, targetHeight);
        if (reduced != null) {
            return reduced;
        }
        // A memory-backed stream: ImageIO.createImageInputStream would spill to a temporary file by default.
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(input);
            try {
                return read(reader, input, bytes, targetWidth, targetHeight);
            } finally {
                reader.dispose();
            }
        } catch (ImageDecodingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Readers report damaged data with all sorts of exceptions (IIOException, EOFException,
            // IndexOutOfBounds, IllegalArgument, ...); to the caller they all mean the same thing.
            throw new ImageDecodingException(Kind.CORRUPT, "the image data is damaged or incomplete" + detail(e), e);
        }
    }

    private BufferedImage read(ImageReader reader, ImageInputStream input, byte[] bytes, int targetWidth,
                               int targetHeight) throws IOException {
        // Seek forward only and ignore metadata: readers then skip text and profile chunks instead of
        // buffering them.
        reader.setInput(input, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        checkSize(width, height);
        String format = format(reader);
        int orientation = ExifOrientation.read(bytes, format);
        boolean transposed = orientation >= 5;
        ImageReadParam param = reader.getDefaultReadParam();
        int stepX = subsampling(width, transposed ? targetHeight : targetWidth);
        int stepY = subsampling(height, transposed ? targetWidth : targetHeight);
        if (stepX > 1 || stepY > 1) {
            param.setSourceSubsampling(stepX, stepY, 0, 0);
        }
        AtomicBoolean truncated = new AtomicBoolean();
        reader.addIIOReadWarningListener((source, warning) -> {
            if (isTruncation(warning)) {
                truncated.set(true);
            }
        });
        BufferedImage image = reader.read(0, param);
        if (truncated.get()) {
            // The JPEG readers fill a cut-off picture with grey and only warn; a half-grey picture is not the image.
            throw new ImageDecodingException(Kind.CORRUPT, "the image data is damaged or incomplete (the "
                    + format.toUpperCase(Locale.ROOT) + " data ends before the picture does)");
        }
        return RgbConversion.toUprightRgb(image, orientation);
    }

    /**
     * A JPEG at least 8 times the target on each side, decoded at 1/8 size from its DCT coefficients (see
     * {@link ReducedJpegDecoder}); null when that does not apply, and the picture is decoded by ImageIO.
     */
    private BufferedImage reducedJpeg(byte[] bytes, int targetWidth, int targetHeight) {
        if (targetWidth == 0 || targetHeight == 0 || bytes.length < 3 || (bytes[0] & 0xff) != 0xff
                || (bytes[1] & 0xff) != 0xd8) {
            return null;
        }
        int orientation = ExifOrientation.read(bytes, "jpeg");
        boolean transposed = orientation >= 5;
        BufferedImage image = ReducedJpegDecoder.decode(bytes, maxPixels, maxSide, transposed ? targetHeight : targetWidth,
                transposed ? targetWidth : targetHeight);
        return image == null ? null : RgbConversion.toUprightRgb(image, orientation);
    }

    /** The first reader that recognises the bytes and is one of the supported formats. */
    private static ImageReader readerFor(ImageInputStream input) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (FORMATS.contains(format(reader))) {
                return reader;
            }
            // The JDK also reads WBMP, whose signature matches many random byte strings.
            reader.dispose();
        }
        throw new ImageDecodingException(Kind.UNSUPPORTED_FORMAT, "not a supported image format (" + EXPECTED + ")");
    }

    private static String format(ImageReader reader) throws IOException {
        return reader.getFormatName().toLowerCase(Locale.ROOT);
    }

    private void checkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new ImageDecodingException(Kind.CORRUPT, "the image header gives an impossible size of "
                    + width + "x" + height + " pixels");
        }
        if ((long) width * height > maxPixels) {
            throw new ImageDecodingException(Kind.TOO_LARGE, "image is " + width + "x" + height
                    + " pixels, above the limit of " + describe(maxPixels));
        }
        if (width > maxSide || height > maxSide) {
            throw new ImageDecodingException(Kind.TOO_LARGE, "image is " + width + "x" + height
                    + " pixels, a side above the limit of " + maxSide + " pixels");
        }
    }

    private static int subsampling(int size, int target) {
        return target == 0 ? 1 : Math.max(1, size / (2 * target));
    }

    private static boolean isTruncation(String warning) {
        String text = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
        // libjpeg: "Premature end of JPEG file"; TwelveMonkeys: "Truncated File - Missing EOI marker".
        return text.contains("premature end") || text.contains("truncated");
    }

    private static String describe(long pixels) {
        return pixels % 1_000_000 == 0 ? pixels / 1_000_000 + " megapixels" : pixels + " pixels";
    }

    private static String detail(Exception e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + e.getMessage() + ")";
    }
}
