package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code serve} as a user runs it, for what can go wrong before it serves. */
@Timeout(60)
class ServeCommandTest {

    @Test
    void saysInOneLineThatThePortIsTakenAndExits1() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int exitCode;
        int port;
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            port = taken.getLocalPort();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exitCode = Main.run("serve", "--port", Integer.toString(port));
        } finally {
            System.setErr(original);
        }

        String output = err.toString(StandardCharsets.UTF_8);
        assertThat(exitCode).isEqualTo(1);
        assertThat(output.lines()).as(output).hasSize(1);
        assertThat(output).startsWith("error: ").contains("port " + port).doesNotContain("Exception", "\tat ");
    }
}
