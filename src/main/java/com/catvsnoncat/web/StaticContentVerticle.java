package com.catvsnoncat.web;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The static-content service: reads the page and its assets into memory once ({@link StaticFiles}) and answers
 * {@link StaticContent#ADDRESS} from there. Answers are a map lookup, so one instance is enough; it serves no HTTP
 * itself (the gateway hands it its GETs, see {@link StaticContent#router}).
 */
public final class StaticContentVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(StaticContentVerticle.class);

    @Override
    public Future<?> start() {
        StaticContent.Options options = StaticContent.Options.from(config());
        StaticContent.registerCodecs(vertx);
        long started = System.nanoTime();
        return vertx.executeBlocking(() -> StaticFiles.load(options), false).compose(files -> {
            LOG.info("static content: {} files, {} KiB in memory, read in {} ms", files.size(), files.bytes() / 1024,
                    (System.nanoTime() - started) / 1_000_000);
            return vertx.eventBus().<StaticContent.Request>consumer(StaticContent.ADDRESS,
                    message -> message.reply(files.answer(message.body()))).completion();
        });
    }
}
