/* The speed floor for reading a CSV file with libcsv: read 64 KiB at a time, hand each chunk to
 * csv_parse with callbacks that only count, csv_fini at the end, print the record count.
 * Usage: libcsv_floor FILE */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static void on_field(void *data, size_t length, void *context) {
    (void)data; (void)length; (void)context;
}

static void on_record(int terminator, void *context) {
    (void)terminator;
    ++*(unsigned long *)context;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    int descriptor = open(argv[1], O_RDONLY);
    if (descriptor < 0) {
        perror(argv[1]);
        return 1;
    }
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) return 1;
    static char buffer[64 * 1024];
    unsigned long records = 0;
    ssize_t got;
    while ((got = read(descriptor, buffer, sizeof buffer)) > 0) {
        if (csv_parse(&parser, buffer, (size_t)got, on_field, on_record, &records) != (size_t)got) {
            fprintf(stderr, "%s: %s\n", argv[1], csv_strerror(csv_error(&parser)));
            return 1;
        }
    }
    if (got < 0) {
        perror(argv[1]);
        return 1;
    }
    csv_fini(&parser, on_field, on_record, &records);
    csv_free(&parser);
    close(descriptor);
    printf("%lu\n", records);
    return 0;
}
