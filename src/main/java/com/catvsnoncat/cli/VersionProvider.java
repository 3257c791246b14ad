package com.catvsnoncat.cli;

import com.catvsnoncat.config.BuildVersion;
import picocli.CommandLine;

/** The version the build wrote (the same in the jar and in the image). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"catvsnoncat " + BuildVersion.get()};
    }
}
