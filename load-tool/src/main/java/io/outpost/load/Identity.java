package io.outpost.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A simulated device's id and secret. */
record Identity(String device, String secret) {

    /** {@code count} devices named {@code prefix0}, {@code prefix1}, ... sharing one secret. */
    static List<Identity> generated(String prefix, int count, String secret) {
        List<Identity> identities = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            identities.add(new Identity(prefix + i, secret));
        }
        return identities;
    }

    /** A CSV file of {@code id,secret} lines (a header line {@code id,secret} is skipped). */
    static List<Identity> read(Path csv) throws IOException {
        List<Identity> identities = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] fields = line.split(",", 2);
            if (line.isBlank() || fields[0].equals("id")) {
                continue;
            }
            if (fields.length != 2) {
                throw new IllegalArgumentException(csv + ": expected id,secret but got: " + line);
            }
            identities.add(new Identity(fields[0].trim(), fields[1].trim()));
        }
        return identities;
    }

    /** The registry's bulk-import CSV for these devices. */
    static String importCsv(List<Identity> identities) {
        StringBuilder csv = new StringBuilder("id,secret\n");
        identities.forEach(identity -> csv.append(identity.device).append(',').append(identity.secret).append('\n'));
        return csv.toString();
    }
}
