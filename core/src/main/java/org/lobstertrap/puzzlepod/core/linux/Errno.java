package org.lobstertrap.puzzlepod.core.linux;

/** The errno values the product handles by name, and a readable description of any errno. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
            ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, EWOULDBLOCK = 11,
            ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19,
            ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOTTY = 25, ETXTBSY = 26,
            EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EMLINK = 31, EPIPE = 32,
            ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61,
            EOVERFLOW = 75, ENOTSOCK = 88, EMSGSIZE = 90, EPROTONOSUPPORT = 93,
            EOPNOTSUPP = 95, ENOTSUP = 95, EAFNOSUPPORT = 97, EADDRINUSE = 98, EADDRNOTAVAIL = 99,
            ECONNRESET = 104, ENOBUFS = 105, EISCONN = 106, ENOTCONN = 107, ETIMEDOUT = 110, ECONNREFUSED = 111,
            EALREADY = 114, EINPROGRESS = 115, ESTALE = 116, EDQUOT = 122, ECANCELED = 125;

    private Errno() {}

    private static final String[] NAMES = new String[134];
    static {
        String[][] table = {
            {"1", "EPERM", "Operation not permitted"}, {"2", "ENOENT", "No such file or directory"},
            {"3", "ESRCH", "No such process"}, {"4", "EINTR", "Interrupted system call"},
            {"5", "EIO", "Input/output error"}, {"6", "ENXIO", "No such device or address"},
            {"7", "E2BIG", "Argument list too long"}, {"8", "ENOEXEC", "Exec format error"},
            {"9", "EBADF", "Bad file descriptor"}, {"10", "ECHILD", "No child processes"},
            {"11", "EAGAIN", "Resource temporarily unavailable"}, {"12", "ENOMEM", "Cannot allocate memory"},
            {"13", "EACCES", "Permission denied"}, {"14", "EFAULT", "Bad address"},
            {"16", "EBUSY", "Device or resource busy"}, {"17", "EEXIST", "File exists"},
            {"18", "EXDEV", "Invalid cross-device link"}, {"19", "ENODEV", "No such device"},
            {"20", "ENOTDIR", "Not a directory"}, {"21", "EISDIR", "Is a directory"},
            {"22", "EINVAL", "Invalid argument"}, {"23", "ENFILE", "Too many open files in system"},
            {"24", "EMFILE", "Too many open files"}, {"25", "ENOTTY", "Inappropriate ioctl for device"},
            {"26", "ETXTBSY", "Text file busy"}, {"27", "EFBIG", "File too large"},
            {"28", "ENOSPC", "No space left on device"}, {"29", "ESPIPE", "Illegal seek"},
            {"30", "EROFS", "Read-only file system"}, {"31", "EMLINK", "Too many links"},
            {"32", "EPIPE", "Broken pipe"}, {"34", "ERANGE", "Numerical result out of range"},
            {"35", "EDEADLK", "Resource deadlock avoided"},
            {"36", "ENAMETOOLONG", "File name too long"}, {"38", "ENOSYS", "Function not implemented"},
            {"39", "ENOTEMPTY", "Directory not empty"}, {"40", "ELOOP", "Too many levels of symbolic links"},
            {"61", "ENODATA", "No data available"}, {"75", "EOVERFLOW", "Value too large for defined data type"},
            {"88", "ENOTSOCK", "Socket operation on non-socket"}, {"90", "EMSGSIZE", "Message too long"},
            {"93", "EPROTONOSUPPORT", "Protocol not supported"}, {"95", "EOPNOTSUPP", "Operation not supported"},
            {"97", "EAFNOSUPPORT", "Address family not supported by protocol"},
            {"98", "EADDRINUSE", "Address already in use"}, {"99", "EADDRNOTAVAIL", "Cannot assign requested address"},
            {"104", "ECONNRESET", "Connection reset by peer"}, {"105", "ENOBUFS", "No buffer space available"},
            {"106", "EISCONN", "Transport endpoint is already connected"},
            {"107", "ENOTCONN", "Transport endpoint is not connected"}, {"110", "ETIMEDOUT", "Connection timed out"},
            {"111", "ECONNREFUSED", "Connection refused"}, {"114", "EALREADY", "Operation already in progress"},
            {"115", "EINPROGRESS", "Operation now in progress"}, {"116", "ESTALE", "Stale file handle"},
            {"122", "EDQUOT", "Disk quota exceeded"}, {"125", "ECANCELED", "Operation canceled"},
        };
        for (String[] row : table) NAMES[Integer.parseInt(row[0])] = row[1] + "\0" + row[2];
    }

    /** "No such file or directory (ENOENT)", or "errno 123" for values without a name here. */
    public static String describe(int errno) {
        String entry = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        if (entry == null) return "errno " + errno;
        int split = entry.indexOf('\0');
        return entry.substring(split + 1) + " (" + entry.substring(0, split) + ")";
    }

    /** "ENOENT", or "errno 123". */
    public static String name(int errno) {
        String entry = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return entry == null ? "errno " + errno : entry.substring(0, entry.indexOf('\0'));
    }
}
