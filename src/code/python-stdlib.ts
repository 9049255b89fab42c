// Top-level modules of the Python standard library, per Lambda Python runtime. Source: the lists
// of the stdlib-list project (github.com/pypi/stdlib-list, stdlib_list/lists/<version>.txt,
// commit 0353618, 2026-08-17), generated from each CPython version's documentation index; top-level
// names only. `pyexpat` is added to 3.9, where the list misses it (3.8 and 3.10 have it). Private
// modules (`_thread`, `_json`...) are the runtime's own and are not listed: every name starting
// with `_` counts as the standard library.

/** Modules every Python 3 runtime (3.6 to 3.14) has. */
const PY3_COMMON = `
__future__ __main__ abc antigravity argparse array ast asyncio atexit base64 bdb binascii bisect
builtins bz2 cProfile calendar cmath cmd code codecs codeop collections colorsys compileall
concurrent configparser contextlib copy copyreg csv ctypes curses datetime dbm decimal difflib
dis doctest email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch
fractions ftplib functools gc genericpath getopt getpass gettext glob grp gzip hashlib heapq
hmac html http idlelib imaplib importlib inspect io ipaddress itertools json keyword linecache
locale logging lzma mailbox marshal math mimetypes mmap modulefinder msvcrt multiprocessing
netrc ntpath nturl2path numbers opcode operator optparse os pathlib pdb pickle pickletools
pkgutil platform plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile pyclbr
pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy
sched secrets select selectors shelve shlex shutil signal site smtplib socket socketserver
sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct
subprocess symtable sys sysconfig syslog tabnanny tarfile tempfile termios textwrap this
threading time timeit tkinter token tokenize trace traceback tracemalloc tty turtle turtledemo
types typing unicodedata unittest urllib uuid venv warnings wave weakref webbrowser winreg
winsound wsgiref xml xmlrpc zipapp zipfile zipimport zlib`;

/** What each version has beyond PY3_COMMON (python2.7: its whole list). */
const BY_VERSION: Record<string, string> = {
  '2.7': `
    AL BaseHTTPServer Bastion CGIHTTPServer Canvas Carbon ColorPicker ConfigParser Cookie DEVICE
    Dialog DocXMLRPCServer EasyDialogs FL FileDialog FixTk FrameWork GL HTMLParser MacOS
    MimeWriter MiniAEFrame Nav PixMapWrapper Queue SUNAUDIODEV ScrolledText SimpleDialog
    SimpleHTTPServer SimpleXMLRPCServer SocketServer StringIO Tix Tkconstants Tkdnd Tkinter
    UserDict UserList UserString W __future__ __main__ abc aepack aetools aetypes aifc al
    antigravity anydbm applesingle argparse array ast asynchat asyncore atexit audiodev audioop
    autoGIL base64 bdb binascii binhex bisect bsddb buildtools bz2 cPickle cProfile cStringIO
    calendar cd cfmfile cgi cgitb chunk cmath cmd code codecs codeop collections colorsys
    commands compileall compiler contextlib cookielib copy copy_reg crypt csv ctypes curses
    datetime dbhash dbm decimal difflib dircache dis distutils dl doctest dumbdbm dummy_thread
    dummy_threading email encodings ensurepip errno exceptions fcntl filecmp fileinput
    findertools fl flp fm fnmatch formatter fpectl fpformat fractions ftplib functools
    future_builtins gc gdbm genericpath gensuitemodule getopt getpass gettext gl glob grp gzip
    hashlib heapq hmac hotshot htmlentitydefs htmllib httplib ic icopen idlelib ihooks imageop
    imaplib imgfile imghdr imp importlib imputil inspect io itertools jpeg json keyword lib2to3
    linecache linuxaudiodev locale logging macerrors macostools macpath macresource macurl2path
    mailbox mailcap markupbase marshal math md5 mhlib mimetools mimetypes mimify mmap
    modulefinder msilib msvcrt multifile multiprocessing mutex netrc new nis nntplib ntpath
    nturl2path numbers opcode operator optparse os os2emxpath ossaudiodev parser pdb pickle
    pickletools pipes pkgutil platform plistlib popen2 poplib posix posixfile posixpath pprint
    profile pstats pty pwd py_compile pyclbr pydoc pydoc_data pyexpat quopri random re readline
    repr resource rexec rfc822 rlcompleter robotparser runpy sched select sets sgmllib sha
    shelve shlex shutil signal site smtpd smtplib sndhdr socket spwd sqlite3 sre sre_compile
    sre_constants sre_parse ssl stat statvfs string stringold stringprep strop struct subprocess
    sunau sunaudio sunaudiodev symbol symtable sys sysconfig syslog tabnanny tarfile telnetlib
    tempfile termios test textwrap this thread threading time timeit tkColorChooser
    tkCommonDialog tkFileDialog tkFont tkMessageBox tkSimpleDialog toaiff token tokenize trace
    traceback ttk tty turtle types unicodedata unittest urllib urllib2 urlparse user uu uuid
    videoreader warnings wave weakref webbrowser whichdb winsound wsgiref xdrlib xml xmllib
    xmlrpclib xxsubtype zipfile zipimport zlib
  `,
  '3.6': `
    aifc asynchat asyncore audioop binhex cgi cgitb chunk crypt distutils dummy_threading
    formatter fpectl imghdr imp lib2to3 macpath macurl2path mailcap msilib nis nntplib
    ossaudiodev parser pipes smtpd sndhdr spwd sunau symbol telnetlib test uu xdrlib xxlimited
    xxsubtype
  `,
  '3.7': `
    aifc asynchat asyncore audioop binhex cgi cgitb chunk contextvars crypt dataclasses
    distutils dummy_threading formatter imghdr imp lib2to3 macpath mailcap msilib nis nntplib
    ossaudiodev parser pipes smtpd sndhdr spwd sunau symbol telnetlib test uu xdrlib xxlimited
    xxsubtype
  `,
  '3.8': `
    aifc asynchat asyncore audioop binhex cgi cgitb chunk contextvars crypt dataclasses
    distutils dummy_threading formatter imghdr imp lib2to3 mailcap msilib nis nntplib
    ossaudiodev parser pipes smtpd sndhdr spwd sunau symbol telnetlib test uu xdrlib xxlimited
    xxsubtype
  `,
  '3.9': `
    aifc asynchat asyncore audioop binhex cgi cgitb chunk contextvars crypt dataclasses
    distutils formatter graphlib imghdr imp lib lib2to3 mailcap msilib nis nntplib ossaudiodev
    parser pipes smtpd sndhdr spwd sunau symbol telnetlib test uu xdrlib xxsubtype zoneinfo
  `,
  '3.10': `
    aifc asynchat asyncore audioop binhex cgi cgitb chunk contextvars crypt dataclasses
    distutils graphlib imghdr imp lib2to3 mailcap msilib nis nntplib nt ossaudiodev pipes smtpd
    sndhdr spwd sunau telnetlib uu xdrlib xxsubtype zoneinfo
  `,
  '3.11': `
    aifc asynchat asyncore audioop cgi cgitb chunk contextvars crypt dataclasses distutils
    graphlib imghdr imp lib2to3 mailcap msilib nis nntplib nt ossaudiodev pipes smtpd sndhdr
    spwd sunau telnetlib tomllib uu xdrlib xxsubtype zoneinfo
  `,
  '3.12': `
    aifc audioop cgi cgitb chunk contextvars crypt dataclasses graphlib imghdr lib2to3 mailcap
    msilib nis nntplib nt ossaudiodev pipes sndhdr spwd sunau telnetlib tomllib uu xdrlib
    zoneinfo
  `,
  '3.13': `
    contextvars dataclasses graphlib nt tomllib zoneinfo
  `,
  '3.14': `
    annotationlib compression contextvars dataclasses graphlib nt tomllib zoneinfo
  `,
};

const split = (s: string): string[] => s.split(/\s+/).filter(Boolean);
const cache = new Map<string, ReadonlySet<string>>();

/** Every module name any Python 3 runtime has: for a runtime whose version is not known. */
const PYTHON_STDLIB: ReadonlySet<string> = new Set([
  ...split(PY3_COMMON),
  ...Object.entries(BY_VERSION).flatMap(([v, s]) => (v.startsWith('3.') ? split(s) : [])),
]);

/** The standard library of a Lambda runtime (`python3.12`, `python2.7`); all Python 3 names when the version is not one listed. */
function pythonStdlib(runtime: string | undefined): ReadonlySet<string> {
  const v = /^python(\d+\.\d+)$/.exec(runtime ?? '')?.[1];
  if (!v || !BY_VERSION[v]) return PYTHON_STDLIB;
  let s = cache.get(v);
  if (!s) {
    s = new Set(v === '2.7' ? split(BY_VERSION[v]) : [...split(PY3_COMMON), ...split(BY_VERSION[v])]);
    cache.set(v, s);
  }
  return s;
}

/** Whether `name` (a top-level module) is in the runtime's standard library. */
export function isPythonStdlib(name: string, runtime: string | undefined): boolean {
  return name.startsWith('_') || pythonStdlib(runtime).has(name);
}
