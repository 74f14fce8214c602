import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The Lambda Runtime API for a build-time training run of the function: hands it each event file named on
 * the command line once, waits for every answer (a response or a handler error), then exits 0; an init
 * error exits 1. Usage: TrainingRuntimeApi ADDRESS_FILE EVENT_FILE...; it writes its address (for
 * AWS_LAMBDA_RUNTIME_API) to ADDRESS_FILE once it listens. Answers are not checked here
 * (the emulator test does that). A plain socket server: the runtime client matches header names exactly,
 * which com.sun.net.httpserver rewrites.
 */
public final class TrainingRuntimeApi {
    private static final String NEXT = "/2018-06-01/runtime/invocation/next";

    private static final Deque<Path> EVENTS = new ArrayDeque<>();
    private static int pending;

    public static void main(String[] args) throws IOException {
        for (int i = 1; i < args.length; i++) {
            EVENTS.add(Path.of(args[i]));
        }
        pending = EVENTS.size();
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        // Written whole, then renamed: the reader never sees half an address.
        Path address = Path.of(args[0]);
        Path partial = Path.of(args[0] + ".partial");
        Files.writeString(partial, "127.0.0.1:" + server.getLocalPort());
        Files.move(partial, address, StandardCopyOption.ATOMIC_MOVE);
        while (true) {
            Socket socket = server.accept(); // the client fetches events and posts answers on separate connections
            Thread.ofPlatform().daemon().start(() -> serve(socket));
        }
    }

    private static void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            for (String[] request = readRequest(in); request != null; request = readRequest(in)) {
                if (request[0].equals(NEXT)) {
                    Path event;
                    synchronized (EVENTS) {
                        event = EVENTS.poll();
                    }
                    if (event == null) {
                        return; // no more events: the function waits here until it is stopped
                    }
                    respond(out, 200, "Lambda-Runtime-Aws-Request-Id: " + event.getFileName() + "\r\n"
                            + "Lambda-Runtime-Deadline-Ms: " + (System.currentTimeMillis() + 60_000) + "\r\n"
                            + "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:training\r\n"
                            + "Lambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000\r\n",
                            Files.readAllBytes(event));
                } else if (request[0].endsWith("/init/error")) {
                    System.err.println("training: the function failed to start: " + request[1]);
                    System.exit(1);
                } else {
                    respond(out, 202, "", new byte[0]);
                    synchronized (EVENTS) {
                        if (--pending == 0) {
                            System.exit(0);
                        }
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("training: " + e);
            System.exit(1);
        }
    }

    /** One request: {path, body}; null at the end of the connection. */
    private static String[] readRequest(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null || line.isEmpty()) {
            return null;
        }
        String path = line.split(" ")[1];
        int length = 0;
        while (!(line = readLine(in)).isEmpty()) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new String[] {path, new String(in.readNBytes(length), StandardCharsets.UTF_8)};
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                return line.isEmpty() ? null : line.toString();
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static void respond(OutputStream out, int status, String headers, byte[] body) throws IOException {
        out.write(("HTTP/1.1 " + status + " OK\r\n" + headers + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
    }
}
