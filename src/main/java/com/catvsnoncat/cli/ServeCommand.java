package com.catvsnoncat.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "(not yet implemented)")
public final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new IllegalStateException("serve is not implemented yet");
    }
}
