package org.lobstertrap.puzzlepod.core.linux;

/** The errno values the product handles by name, and a readable description of any errno. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EBADF = 9, EAGAIN = 11,
            ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19,
            ENOTDIR = 20, EISDIR = 21, EINVAL = 22, EMFILE = 24, ENOSPC = 28, EROFS = 30, EMLINK = 31,
            ERANGE = 34, ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61,
            EOPNOTSUPP = 95, ENOTSUP = 95, EDQUOT = 122;

    private Errno() {}

    private static final String[] NAMES = new String[134];
    static {
        String[][] table = {
            {"1", "EPERM", "Operation not permitted"}, {"2", "ENOENT", "No such file or directory"},
            {"3", "ESRCH", "No such process"}, {"4", "EINTR", "Interrupted system call"},
            {"5", "EIO", "Input/output error"}, {"9", "EBADF", "Bad file descriptor"},
            {"11", "EAGAIN", "Resource temporarily unavailable"}, {"12", "ENOMEM", "Cannot allocate memory"},
            {"13", "EACCES", "Permission denied"}, {"14", "EFAULT", "Bad address"},
            {"16", "EBUSY", "Device or resource busy"}, {"17", "EEXIST", "File exists"},
            {"18", "EXDEV", "Invalid cross-device link"}, {"19", "ENODEV", "No such device"},
            {"20", "ENOTDIR", "Not a directory"}, {"21", "EISDIR", "Is a directory"},
            {"22", "EINVAL", "Invalid argument"}, {"24", "EMFILE", "Too many open files"},
            {"28", "ENOSPC", "No space left on device"}, {"30", "EROFS", "Read-only file system"},
            {"31", "EMLINK", "Too many links"}, {"34", "ERANGE", "Numerical result out of range"},
            {"36", "ENAMETOOLONG", "File name too long"}, {"38", "ENOSYS", "Function not implemented"},
            {"39", "ENOTEMPTY", "Directory not empty"}, {"40", "ELOOP", "Too many levels of symbolic links"},
            {"61", "ENODATA", "No data available"}, {"95", "EOPNOTSUPP", "Operation not supported"},
            {"122", "EDQUOT", "Disk quota exceeded"},
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
