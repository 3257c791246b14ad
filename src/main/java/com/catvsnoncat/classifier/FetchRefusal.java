package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;

/**
 * A picture URL the fetcher refused to download, or stopped downloading, because of its own rules (not because the
 * image host failed). The reason is the tag of the refusal counter in /metrics.
 */
public final class FetchRefusal extends ClassifierFailure {
    public static final String INVALID_URL = "invalid_url";
    public static final String SCHEME = "scheme";
    public static final String CREDENTIALS = "credentials";
    public static final String PORT = "port";
    public static final String INTERNAL_ADDRESS = "internal_address";
    public static final String REDIRECTS = "redirects";
    public static final String TOO_LARGE = "too_large";

    private final String reason;

    FetchRefusal(Failure failure, String reason, String message) {
        super(failure, message);
        this.reason = reason;
    }

    /** One of the constants of this class. */
    public String reason() {
        return reason;
    }
}
